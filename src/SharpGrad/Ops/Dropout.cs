using System.Globalization;

namespace SharpGrad;

public static partial class Functional
{
    /// <summary>
    /// Inverted dropout: during training each element is kept with probability 1 − p and scaled by 1/(1 − p), or
    /// zeroed: y = x · m with m ∈ {0, 1/(1 − p)}, so E[y] = x. ∂L/∂x = ∂L/∂y · m. Outside training (or with p = 0)
    /// it is the identity; with p = 1 every element is dropped (m = 0, never 1/0), so y = 0 and ∂L/∂x = 0 for finite x.
    /// </summary>
    /// <param name="input">x.</param>
    /// <param name="p">The drop probability, in [0, 1] (as torch.nn.functional.dropout).</param>
    /// <param name="training">Whether to drop (false gives the identity).</param>
    /// <param name="generator">The seeded generator drawing the mask: one uniform number u ∈ [0, 1) per element, dropped when u &lt; p.</param>
    /// <returns>y, with x's shape.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is outside [0, 1] or NaN.</exception>
    public static Tensor Dropout(Tensor input, double p, bool training, Generator generator)
    {
        RequireDropoutProbability(p, nameof(p));
        if (!training || p == 0) return input;
        var mask = Tensor.Empty(input.DType, input.ShapeRef);
        double keep = p == 1 ? 0 : 1 / (1 - p);
        for (int i = 0; i < mask.Length; i++) mask.SetFlat(i, generator.NextDouble() < p ? 0 : keep);
        return input * mask;
    }

    /// <summary>
    /// Throws unless 0 ≤ <paramref name="p"/> ≤ 1: the one check of a dropout probability, shared by this function,
    /// the <see cref="Nn.Dropout"/> layer and the models of <see cref="Nn.Models"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is outside [0, 1] or NaN.</exception>
    internal static void RequireDropoutProbability(double p, string parameterName)
    {
        if (!(p is >= 0 and <= 1))
            throw new ArgumentOutOfRangeException(parameterName, $"The dropout probability must be in [0, 1], not {p.ToString(CultureInfo.InvariantCulture)}.");
    }
}
