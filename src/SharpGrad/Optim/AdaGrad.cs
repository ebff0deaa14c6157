using System.Numerics;

namespace SharpGrad.Optim;

/// <summary>
/// AdaGrad (Duchi et al.), with PyTorch's rule: g = ∇ + λ·w; h = h + g²; w −= lr · g / (√h + ε). h starts at 0,
/// so each coordinate's step shrinks with the gradients it has seen.
/// </summary>
/// <remarks>State per parameter: "sum" (h), as in PyTorch.</remarks>
public sealed class AdaGrad : Optimizer
{
    /// <summary>Creates the optimizer (PyTorch's defaults).</summary>
    /// <param name="parameters">The parameters.</param>
    /// <param name="learningRate">lr.</param>
    /// <param name="epsilon">ε, added to the denominator; positive (PyTorch's default 1e-10).</param>
    /// <param name="weightDecay">λ, the L2 penalty coefficient added to the gradient.</param>
    /// <exception cref="ArgumentException">The parameter list is empty, or a parameter is not a leaf or is listed twice.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public AdaGrad(IEnumerable<Tensor> parameters, double learningRate = 0.01, double epsilon = 1e-10, double weightDecay = 0)
        : base(parameters, learningRate)
    {
        Epsilon = ArgumentChecks.FinitePositive(epsilon, nameof(epsilon), "ε");
        WeightDecay = NonNegative(weightDecay, nameof(weightDecay));
    }

    /// <summary>ε.</summary>
    public double Epsilon { get; }

    /// <summary>λ.</summary>
    public double WeightDecay { get; }

    /// <inheritdoc/>
    protected override IReadOnlyList<string> StateNames { get; } = ["sum"];

    /// <inheritdoc/>
    protected override void Update(int index, Span<float> parameter, ReadOnlySpan<float> gradient) => Apply(index, parameter, gradient);

    /// <inheritdoc/>
    protected override void Update(int index, Span<double> parameter, ReadOnlySpan<double> gradient) => Apply(index, parameter, gradient);

    private void Apply<T>(int index, Span<T> w, ReadOnlySpan<T> gradient) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var h = State<T>(index, "sum");
        T lr = T.CreateChecked(LearningRate), eps = T.CreateChecked(Epsilon), wd = T.CreateChecked(WeightDecay);
        for (int i = 0; i < w.Length; i++)
        {
            T g = gradient[i] + wd * w[i];
            h[i] += g * g;
            w[i] -= lr * g / (T.Sqrt(h[i]) + eps);
        }
    }
}
