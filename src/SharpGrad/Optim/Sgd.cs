using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

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
    /// <exception cref="ArgumentException">The parameter list is empty, or a parameter is not a leaf or is listed twice.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public Sgd(IEnumerable<Tensor> parameters, double learningRate, double momentum = 0, bool nesterov = false, double weightDecay = 0)
        : base(parameters, learningRate)
    {
        Momentum = Fraction(momentum, nameof(momentum), "Momentum");
        WeightDecay = NonNegative(weightDecay, nameof(weightDecay));
        if (nesterov && momentum == 0) throw new ArgumentException("Nesterov momentum needs a momentum above 0.");
        Nesterov = nesterov;
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
        public Kernels.KernelPath Path;
    }

    /// <summary>The momentum update of elements [start, end), run by <see cref="Kernels.ParallelRanges"/>.</summary>
    private static void MomentumPiece<T>(void* state, int start, int end) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref readonly var a = ref *(MomentumArgs<T>*)state;
        int n = end - start;
        MomentumStep(new Span<T>(a.V + start, n), new ReadOnlySpan<T>(a.G + start, n), new Span<T>(a.W + start, n), a.Mu, a.MinusLr, a.Path);
    }

    /// <summary>
    /// v = μ·v + g, then w = w + (−lr)·v, in one pass over the three arrays (two TensorPrimitives calls would read v
    /// twice and, for arrays over 256 KB, write it past the cache). Each step rounds as the two separate operations do,
    /// except that a new v smaller in magnitude than the smallest normal number (a subnormal) is stored as a zero of its
    /// sign, as flush-to-zero hardware would store it.
    /// </summary>
    /// <remarks>
    /// Why the flush: a unit that stops receiving gradient (a dead ReLU, g = 0 exactly) has its v shrink by μ each step
    /// until it is subnormal, and there it stays for good (0.9 times 1 to 4 units in the last place rounds back to
    /// itself). On x86 every multiply that reads or produces a subnormal takes a microcode assist of about 150 cycles;
    /// with 9 of the 100 hidden units of the 784-100-10 net dead, those assists made the whole update 3–5 times slower
    /// than the same arrays with normal values. The flush changes w by at most lr·2⁻¹²⁶ per step (for float32), which is
    /// below the rounding of any weight larger than about 10⁻³¹, and v by less than the smallest normal number. The vector
    /// width follows <see cref="Kernels.KernelSettings.VectorPath"/>; the result is independent of it (and of the split),
    /// so every path and thread count gives the same bits.
    /// </remarks>
    private static void MomentumStep<T>(Span<T> v, ReadOnlySpan<T> g, Span<T> w, T mu, T minusLr, Kernels.KernelPath path) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = w.Length, i = 0;
        T minNormal = T.ScaleB(T.One, typeof(T) == typeof(float) ? -126 : -1022);
        fixed (T* pv = v, pg = g, pw = w)
        {
            if (path == Kernels.KernelPath.Vector512)
                i = MomentumVectors<Kernels.Simd512<T>, Vector512<T>, T>(pv, pg, pw, n, mu, minusLr, minNormal);
            else if (path == Kernels.KernelPath.Vector256)
                i = MomentumVectors<Kernels.Simd256<T>, Vector256<T>, T>(pv, pg, pw, n, mu, minusLr, minNormal);
            else if (Vector.IsHardwareAccelerated && Vector<T>.Count > 1)
                i = MomentumVectors<Kernels.SimdPortable<T>, Vector<T>, T>(pv, pg, pw, n, mu, minusLr, minNormal);

            for (; i < n; i++)
            {
                T vi = (pv[i] * mu) + pg[i];
                if (T.Abs(vi) < minNormal) vi = T.CopySign(T.Zero, vi);
                pv[i] = vi;
                pw[i] = (vi * minusLr) + pw[i];
            }
        }
    }

    /// <summary>
    /// The vector part of <see cref="MomentumStep{T}"/> for one path: whole vectors from the start; returns how many
    /// elements it did. v·μ and v·(−lr) are rounded before their add, as the scalar tail rounds them.
    /// </summary>
    private static int MomentumVectors<TOps, TVec, T>(T* pv, T* pg, T* pw, int n, T mu, T minusLr, T minNormal)
        where TOps : struct, Kernels.ISimd<TVec, T>
        where TVec : unmanaged
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T signBit = -T.Zero;
        TVec muV = TOps.Broadcast(&mu), lrV = TOps.Broadcast(&minusLr), minV = TOps.Broadcast(&minNormal), signV = TOps.Broadcast(&signBit);
        int i = 0;
        for (; i <= n - TOps.Count; i += TOps.Count)
        {
            TVec vi = TOps.ZeroIfBelow(TOps.Add(TOps.Multiply(TOps.Load(pv + i), muV), TOps.Load(pg + i)), minV, signV); // subnormal → ±0
            TOps.Store(vi, pv + i);
            TOps.Store(TOps.Add(TOps.Multiply(vi, lrV), TOps.Load(pw + i)), pw + i);
        }
        return i;
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
                var args = new MomentumArgs<T> { V = pv, G = pg, W = pw, Mu = mu, MinusLr = -lr, Path = Kernels.KernelSettings.ActivePath };
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
