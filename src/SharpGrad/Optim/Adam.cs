using System.Numerics;

namespace SharpGrad.Optim;

/// <summary>
/// Adam (Kingma &amp; Ba), with PyTorch's rule. At the t-th update of a parameter w with gradient ∇:
/// g = ∇ + λ·w (L2 weight decay, coupled into the gradient); m = β₁·m + (1 − β₁)·g; v = β₂·v + (1 − β₂)·g²;
/// w −= lr · (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε). m and v start at 0.
/// </summary>
/// <remarks>State per parameter: "exp_avg" (m) and "exp_avg_sq" (v), as in PyTorch.</remarks>
public class Adam : Optimizer
{
    private readonly bool _decoupled;

    /// <summary>Creates the optimizer (PyTorch's defaults).</summary>
    /// <param name="parameters">The parameters.</param>
    /// <param name="learningRate">lr.</param>
    /// <param name="beta1">β₁, the decay of the first-moment average, in [0, 1).</param>
    /// <param name="beta2">β₂, the decay of the second-moment average, in [0, 1).</param>
    /// <param name="epsilon">ε, added to the denominator; positive.</param>
    /// <param name="weightDecay">λ, the L2 penalty coefficient added to the gradient.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public Adam(IEnumerable<Tensor> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0)
        : this(parameters, learningRate, beta1, beta2, epsilon, weightDecay, decoupled: false)
    {
    }

    /// <summary>Creates the optimizer, with weight decay either coupled into the gradient (Adam) or decoupled (AdamW).</summary>
    /// <param name="parameters">The parameters.</param>
    /// <param name="learningRate">lr.</param>
    /// <param name="beta1">β₁.</param>
    /// <param name="beta2">β₂.</param>
    /// <param name="epsilon">ε.</param>
    /// <param name="weightDecay">λ.</param>
    /// <param name="decoupled">True for AdamW's w ← w·(1 − lr·λ) before the Adam step.</param>
    private protected Adam(IEnumerable<Tensor> parameters, double learningRate, double beta1, double beta2, double epsilon, double weightDecay, bool decoupled)
        : base(parameters, learningRate)
    {
        if (beta1 is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(beta1), $"β₁ must be in [0, 1), not {beta1}.");
        if (beta2 is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(beta2), $"β₂ must be in [0, 1), not {beta2}.");
        if (!(epsilon > 0)) throw new ArgumentOutOfRangeException(nameof(epsilon), $"ε must be positive, not {epsilon}.");
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        WeightDecay = NonNegative(weightDecay, nameof(weightDecay));
        _decoupled = decoupled;
    }

    /// <summary>β₁.</summary>
    public double Beta1 { get; }

    /// <summary>β₂.</summary>
    public double Beta2 { get; }

    /// <summary>ε.</summary>
    public double Epsilon { get; }

    /// <summary>λ.</summary>
    public double WeightDecay { get; }

    /// <inheritdoc/>
    protected override IReadOnlyList<string> StateNames { get; } = ["exp_avg", "exp_avg_sq"];

    /// <inheritdoc/>
    protected override void Update(int index, Span<float> parameter, ReadOnlySpan<float> gradient) => Apply(index, parameter, gradient);

    /// <inheritdoc/>
    protected override void Update(int index, Span<double> parameter, ReadOnlySpan<double> gradient) => Apply(index, parameter, gradient);

    private void Apply<T>(int index, Span<T> w, ReadOnlySpan<T> gradient) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var m = State<T>(index, "exp_avg");
        var v = State<T>(index, "exp_avg_sq");
        double t = ParameterStep(index);
        T b1 = T.CreateChecked(Beta1), b2 = T.CreateChecked(Beta2), eps = T.CreateChecked(Epsilon);
        T wd = T.CreateChecked(WeightDecay);
        T stepSize = T.CreateChecked(LearningRate / (1 - Math.Pow(Beta1, t)));
        T correction2Sqrt = T.CreateChecked(Math.Sqrt(1 - Math.Pow(Beta2, t)));
        T decay = T.CreateChecked(1 - LearningRate * WeightDecay);
        for (int i = 0; i < w.Length; i++)
        {
            T g = gradient[i];
            if (_decoupled) w[i] *= decay;
            else g += wd * w[i];
            m[i] = b1 * m[i] + (T.One - b1) * g;
            v[i] = b2 * v[i] + (T.One - b2) * g * g;
            w[i] -= stepSize * m[i] / (T.Sqrt(v[i]) / correction2Sqrt + eps);
        }
    }
}

/// <summary>
/// AdamW (Loshchilov &amp; Hutter): Adam with decoupled weight decay, PyTorch's rule. At the t-th update:
/// w ← w·(1 − lr·λ); then m = β₁·m + (1 − β₁)·∇; v = β₂·v + (1 − β₂)·∇²;
/// w −= lr · (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε). The decay does not pass through m and v.
/// </summary>
public sealed class AdamW : Adam
{
    /// <summary>Creates the optimizer (PyTorch's defaults, including λ = 0.01).</summary>
    /// <param name="parameters">The parameters.</param>
    /// <param name="learningRate">lr.</param>
    /// <param name="beta1">β₁, in [0, 1).</param>
    /// <param name="beta2">β₂, in [0, 1).</param>
    /// <param name="epsilon">ε; positive.</param>
    /// <param name="weightDecay">λ, the decoupled decay rate (w shrinks by the factor 1 − lr·λ each step).</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public AdamW(IEnumerable<Tensor> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0.01)
        : base(parameters, learningRate, beta1, beta2, epsilon, weightDecay, decoupled: true)
    {
    }
}
