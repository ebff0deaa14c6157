using System.Numerics;

namespace SharpGrad.Optim;

/// <summary>
/// Adam (Kingma &amp; Ba), with PyTorch's rule. At the t-th update of a parameter w with gradient ∇:
/// g = ∇ + λ·w (L2 weight decay, coupled into the gradient); m = β₁·m + (1 − β₁)·g; v = β₂·v + (1 − β₂)·g²;
/// w −= lr · (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε). m and v start at 0.
/// </summary>
/// <remarks>State per parameter: "exp_avg" (m) and "exp_avg_sq" (v), as in PyTorch.</remarks>
public unsafe class Adam : Optimizer
{
    private readonly bool _decoupled;

    /// <summary>Creates the optimizer (PyTorch's defaults).</summary>
    /// <param name="parameters">The parameters.</param>
    /// <param name="learningRate">lr.</param>
    /// <param name="beta1">β₁, the decay of the first-moment average, in [0, 1).</param>
    /// <param name="beta2">β₂, the decay of the second-moment average, in [0, 1).</param>
    /// <param name="epsilon">ε, added to the denominator; positive.</param>
    /// <param name="weightDecay">λ, the L2 penalty coefficient added to the gradient.</param>
    /// <exception cref="ArgumentException">The parameter list is empty, or a parameter is not a leaf or is listed twice.</exception>
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
        Beta1 = Fraction(beta1, nameof(beta1), "β₁");
        Beta2 = Fraction(beta2, nameof(beta2), "β₂");
        Epsilon = ArgumentChecks.FinitePositive(epsilon, nameof(epsilon), "ε");
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
        var args = new AdamArgs<T>
        {
            B1 = T.CreateChecked(Beta1),
            B2 = T.CreateChecked(Beta2),
            // 1 − β in double, then rounded once (PyTorch's value=1 − beta2): 1 − 0.999f in float32 is 0.00099998713,
            // 1.3e-5 below 0.001f, which made every float32 step about 6e-6 too large.
            OneMinusB1 = T.CreateChecked(1 - Beta1),
            OneMinusB2 = T.CreateChecked(1 - Beta2),
            Eps = T.CreateChecked(Epsilon),
            Wd = T.CreateChecked(WeightDecay),
            StepSize = T.CreateChecked(LearningRate / (1 - Math.Pow(Beta1, t))),
            Correction2Sqrt = T.CreateChecked(Math.Sqrt(1 - Math.Pow(Beta2, t))),
            Decay = T.CreateChecked(1 - LearningRate * WeightDecay),
            Decoupled = _decoupled,
        };
        fixed (T* pw = w, pg = gradient, pm = m, pv = v)
        {
            args.W = pw;
            args.G = pg;
            args.M = pm;
            args.V = pv;
            Kernels.ParallelRanges.Run(w.Length, &args, &Piece<T>);
        }
    }

    private struct AdamArgs<T> where T : unmanaged
    {
        public T* W, G, M, V;
        public T B1, B2, OneMinusB1, OneMinusB2, Eps, Wd, StepSize, Correction2Sqrt, Decay;
        public bool Decoupled;
    }

    /// <summary>
    /// The update of elements [start, end): vectorised, with each element going through exactly the operations of the
    /// scalar rule in the same order (no fused multiply-adds), so the result does not depend on the vector width or
    /// the split between threads.
    /// </summary>
    private static void Piece<T>(void* state, int start, int end) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref readonly var a = ref *(AdamArgs<T>*)state;
        T oneMinusB1 = a.OneMinusB1, oneMinusB2 = a.OneMinusB2;
        int i = start;
        if (Vector.IsHardwareAccelerated && Vector<T>.Count > 1)
        {
            var b1 = new Vector<T>(a.B1);
            var b2 = new Vector<T>(a.B2);
            var c1 = new Vector<T>(oneMinusB1);
            var c2 = new Vector<T>(oneMinusB2);
            var eps = new Vector<T>(a.Eps);
            var wd = new Vector<T>(a.Wd);
            var stepSize = new Vector<T>(a.StepSize);
            var correction = new Vector<T>(a.Correction2Sqrt);
            var decay = new Vector<T>(a.Decay);
            for (; i <= end - Vector<T>.Count; i += Vector<T>.Count)
            {
                var w = Vector.Load(a.W + i);
                var g = Vector.Load(a.G + i);
                if (a.Decoupled) w *= decay;
                else g += wd * w;
                var m = b1 * Vector.Load(a.M + i) + c1 * g;
                var v = b2 * Vector.Load(a.V + i) + c2 * g * g;
                w -= stepSize * m / (Vector.SquareRoot(v) / correction + eps);
                m.Store(a.M + i);
                v.Store(a.V + i);
                w.Store(a.W + i);
            }
        }
        for (; i < end; i++)
        {
            T g = a.G[i];
            if (a.Decoupled) a.W[i] *= a.Decay;
            else g += a.Wd * a.W[i];
            a.M[i] = a.B1 * a.M[i] + oneMinusB1 * g;
            a.V[i] = a.B2 * a.V[i] + oneMinusB2 * g * g;
            a.W[i] -= a.StepSize * a.M[i] / (T.Sqrt(a.V[i]) / a.Correction2Sqrt + a.Eps);
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
    /// <exception cref="ArgumentException">The parameter list is empty, or a parameter is not a leaf or is listed twice.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public AdamW(IEnumerable<Tensor> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0.01)
        : base(parameters, learningRate, beta1, beta2, epsilon, weightDecay, decoupled: true)
    {
    }
}
