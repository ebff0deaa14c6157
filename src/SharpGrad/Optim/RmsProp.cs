using System.Numerics;

namespace SharpGrad.Optim;

/// <summary>
/// RMSprop (Hinton), with PyTorch's rule: g = ∇ + λ·w; v = α·v + (1 − α)·g²; when centred, ḡ = α·ḡ + (1 − α)·g
/// and the denominator is d = √(v − ḡ²) + ε, otherwise d = √v + ε; without momentum w −= lr·g/d, with momentum μ
/// b = μ·b + g/d and w −= lr·b. All averages start at 0.
/// </summary>
/// <remarks>State per parameter: "square_avg" (v), "grad_avg" (ḡ, centred only), "momentum_buffer" (b, with momentum).</remarks>
public sealed class RmsProp : Optimizer
{
    /// <summary>Creates the optimizer (PyTorch's defaults).</summary>
    /// <param name="parameters">The parameters.</param>
    /// <param name="learningRate">lr.</param>
    /// <param name="alpha">α, the decay of the squared-gradient average, in [0, 1).</param>
    /// <param name="epsilon">ε, added to the denominator; positive.</param>
    /// <param name="weightDecay">λ, the L2 penalty coefficient added to the gradient.</param>
    /// <param name="momentum">μ, in [0, 1).</param>
    /// <param name="centered">Normalise by the estimated variance v − ḡ² instead of the raw second moment.</param>
    /// <exception cref="ArgumentException">The parameter list is empty, or a parameter is not a leaf or is listed twice.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public RmsProp(IEnumerable<Tensor> parameters, double learningRate = 0.01, double alpha = 0.99, double epsilon = 1e-8, double weightDecay = 0,
        double momentum = 0, bool centered = false)
        : base(parameters, learningRate)
    {
        Alpha = Fraction(alpha, nameof(alpha), "α");
        Epsilon = ArgumentChecks.FinitePositive(epsilon, nameof(epsilon), "ε");
        WeightDecay = NonNegative(weightDecay, nameof(weightDecay));
        Momentum = Fraction(momentum, nameof(momentum), "Momentum");
        Centered = centered;
    }

    /// <summary>α.</summary>
    public double Alpha { get; }

    /// <summary>ε.</summary>
    public double Epsilon { get; }

    /// <summary>λ.</summary>
    public double WeightDecay { get; }

    /// <summary>μ.</summary>
    public double Momentum { get; }

    /// <summary>Whether the denominator uses the centred (variance) estimate.</summary>
    public bool Centered { get; }

    /// <inheritdoc/>
    protected override IReadOnlyList<string> StateNames { get; } = ["square_avg", "grad_avg", "momentum_buffer"];

    /// <inheritdoc/>
    protected override void Update(int index, Span<float> parameter, ReadOnlySpan<float> gradient) => Apply(index, parameter, gradient);

    /// <inheritdoc/>
    protected override void Update(int index, Span<double> parameter, ReadOnlySpan<double> gradient) => Apply(index, parameter, gradient);

    private void Apply<T>(int index, Span<T> w, ReadOnlySpan<T> gradient) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var v = State<T>(index, "square_avg");
        var gAvg = Centered ? State<T>(index, "grad_avg") : null;
        var buffer = Momentum > 0 ? State<T>(index, "momentum_buffer") : null;
        T lr = T.CreateChecked(LearningRate), a = T.CreateChecked(Alpha), eps = T.CreateChecked(Epsilon);
        T wd = T.CreateChecked(WeightDecay), mu = T.CreateChecked(Momentum);
        T oneMinusA = T.CreateChecked(1 - Alpha); // in double, rounded once, as PyTorch's value=1 − alpha (1 − 0.999f is 1.3e-5 off in float32)
        for (int i = 0; i < w.Length; i++)
        {
            T g = gradient[i] + wd * w[i];
            v[i] = a * v[i] + oneMinusA * g * g;
            T d;
            if (gAvg is not null)
            {
                gAvg[i] = a * gAvg[i] + oneMinusA * g;
                d = T.Sqrt(v[i] - gAvg[i] * gAvg[i]) + eps;
            }
            else d = T.Sqrt(v[i]) + eps;
            if (buffer is not null)
            {
                buffer[i] = mu * buffer[i] + g / d;
                w[i] -= lr * buffer[i];
            }
            else w[i] -= lr * g / d;
        }
    }
}
