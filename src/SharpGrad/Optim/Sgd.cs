using System.Numerics;
using System.Numerics.Tensors;

namespace SharpGrad.Optim;

/// <summary>
/// Stochastic gradient descent with optional momentum, Nesterov momentum and weight decay (PyTorch's rule):
/// g = ∇ + λ·w; v = μ·v + g; w −= lr·(Nesterov ? g + μ·v : v). Without momentum, w −= lr·g.
/// </summary>
public sealed unsafe class Sgd : Optimizer
{
    /// <summary>Creates the optimizer.</summary>
    /// <param name="parameters">The parameters.</param>
    /// <param name="learningRate">lr.</param>
    /// <param name="momentum">μ, in [0, 1).</param>
    /// <param name="nesterov">Use Nesterov momentum.</param>
    /// <param name="weightDecay">λ, the L2 penalty coefficient.</param>
    public Sgd(IEnumerable<Tensor> parameters, double learningRate, double momentum = 0, bool nesterov = false, double weightDecay = 0)
        : base(parameters, learningRate)
    {
        if (momentum is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(momentum), $"Momentum must be in [0, 1), not {momentum}.");
        if (weightDecay < 0) throw new ArgumentOutOfRangeException(nameof(weightDecay), $"Weight decay must be non-negative, not {weightDecay}.");
        if (nesterov && momentum == 0) throw new ArgumentException("Nesterov momentum needs a momentum above 0.");
        Momentum = momentum;
        Nesterov = nesterov;
        WeightDecay = weightDecay;
    }

    /// <summary>μ.</summary>
    public double Momentum { get; }

    /// <summary>Whether Nesterov momentum is used.</summary>
    public bool Nesterov { get; }

    /// <summary>λ.</summary>
    public double WeightDecay { get; }

    /// <inheritdoc/>
    protected override IReadOnlyList<string> StateNames { get; } = ["momentum_buffer"];

    /// <inheritdoc/>
    protected override void Update(int index, Span<float> parameter, ReadOnlySpan<float> gradient) => Apply(index, parameter, gradient);

    /// <inheritdoc/>
    protected override void Update(int index, Span<double> parameter, ReadOnlySpan<double> gradient) => Apply(index, parameter, gradient);

    private struct MomentumArgs<T> where T : unmanaged
    {
        public T* V, G, W;
        public T Mu, MinusLr;
    }

    /// <summary>The momentum update of elements [start, end), run by <see cref="Kernels.ParallelRanges"/>.</summary>
    private static void MomentumPiece<T>(void* state, int start, int end) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref readonly var a = ref *(MomentumArgs<T>*)state;
        int n = end - start;
        MomentumStep(new Span<T>(a.V + start, n), new ReadOnlySpan<T>(a.G + start, n), new Span<T>(a.W + start, n), a.Mu, a.MinusLr);
    }

    /// <summary>
    /// v = μ·v + g, then w = w + (−lr)·v, in one pass over the three arrays (two TensorPrimitives calls would read v
    /// twice and, for arrays over 256 KB, write it past the cache). Each step rounds as the two separate operations do.
    /// </summary>
    private static void MomentumStep<T>(Span<T> v, ReadOnlySpan<T> g, Span<T> w, T mu, T minusLr) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.Count > 1)
        {
            var muV = new Vector<T>(mu);
            var lrV = new Vector<T>(minusLr);
            for (; i <= w.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var vi = new Vector<T>(v[i..]) * muV + new Vector<T>(g[i..]);
                vi.CopyTo(v[i..]);
                (vi * lrV + new Vector<T>(w[i..])).CopyTo(w[i..]);
            }
        }
        for (; i < w.Length; i++)
        {
            v[i] = v[i] * mu + g[i];
            w[i] = v[i] * minusLr + w[i];
        }
    }

    private void Apply<T>(int index, Span<T> w, ReadOnlySpan<T> gradient) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T lr = T.CreateChecked(LearningRate), mu = T.CreateChecked(Momentum), wd = T.CreateChecked(WeightDecay);
        if (Momentum == 0 && WeightDecay == 0)
        {
            for (int start = 0; start < w.Length; start += Kernels.Elementwise.CacheChunk) // pieces: see CacheChunk
            {
                var piece = w.Slice(start, Math.Min(Kernels.Elementwise.CacheChunk, w.Length - start));
                TensorPrimitives.MultiplyAdd(gradient.Slice(start, piece.Length), -lr, piece, piece); // w = w − lr·g
            }
            return;
        }
        var velocity = State<T>(index, "momentum_buffer"); // v starts at 0, so the first v is g, as in PyTorch
        if (WeightDecay == 0 && !Nesterov)
        {
            fixed (T* pv = velocity, pg = gradient, pw = w)
            {
                var args = new MomentumArgs<T> { V = pv, G = pg, W = pw, Mu = mu, MinusLr = -lr };
                Kernels.ParallelRanges.Run(w.Length, &args, &MomentumPiece<T>);
            }
            return;
        }
        for (int i = 0; i < w.Length; i++)
        {
            T g = gradient[i] + wd * w[i];
            if (Momentum == 0) { w[i] -= lr * g; continue; }
            T v = mu * velocity[i] + g;
            velocity[i] = v;
            w[i] -= lr * (Nesterov ? g + mu * v : v);
        }
    }
}
