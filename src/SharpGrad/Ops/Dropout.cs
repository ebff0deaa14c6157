namespace SharpGrad;

public static partial class Functional
{
    /// <summary>
    /// Inverted dropout: during training each element is kept with probability 1 − p and scaled by 1/(1 − p), or
    /// zeroed: y = x · m with m ∈ {0, 1/(1 − p)}, so E[y] = x. ∂L/∂x = ∂L/∂y · m. Outside training (or with p = 0)
    /// it is the identity; with p = 1 every element is zeroed.
    /// </summary>
    /// <param name="input">x.</param>
    /// <param name="p">The drop probability, in [0, 1].</param>
    /// <param name="training">Whether to drop (false gives the identity).</param>
    /// <param name="generator">The seeded generator drawing the mask: one uniform number per element, dropped when below p.</param>
    /// <returns>y, with x's shape.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is outside [0, 1].</exception>
    public static Tensor Dropout(Tensor input, double p, bool training, Generator generator)
    {
        if (p is < 0 or > 1 || double.IsNaN(p)) throw new ArgumentOutOfRangeException(nameof(p), $"The dropout probability must be in [0, 1], not {p}.");
        if (!training || p == 0) return input;
        var mask = Tensor.Empty(input.DType, input.ShapeRef);
        double keep = p == 1 ? 0 : 1 / (1 - p);
        for (int i = 0; i < mask.Length; i++) mask.SetFlat(i, generator.NextDouble() < p ? 0 : keep);
        return input * mask;
    }
}
