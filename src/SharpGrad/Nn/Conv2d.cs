namespace SharpGrad.Nn;

/// <summary>
/// A 2-D convolution layer over NCHW batches: y[n, o] = b[o] + Σ_c W[o, c] ⋆ x[n, c] (cross-correlation with
/// stride and zero padding; see <see cref="Functional.Conv2d(Tensor, Tensor, Tensor?, ValueTuple{int, int}, ValueTuple{int, int})"/>).
/// W has shape [out, in, kh, kw], b shape [out].
/// </summary>
public sealed class Conv2d : Module
{
    /// <summary>Creates the layer with weights drawn by <paramref name="init"/> (fan-in = in·kh·kw) and zero biases.</summary>
    /// <param name="inChannels">Input channels C.</param>
    /// <param name="outChannels">Output channels O.</param>
    /// <param name="kernel">(kh, kw).</param>
    /// <param name="generator">The seeded generator for the weights.</param>
    /// <param name="stride">(sh, sw); (1, 1) when omitted.</param>
    /// <param name="padding">(ph, pw); (0, 0) when omitted.</param>
    /// <param name="bias">Whether to add a bias.</param>
    /// <param name="init">The initialisation rule.</param>
    /// <param name="dtype">The parameters' element type.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is out of range.</exception>
    public Conv2d(int inChannels, int outChannels, (int H, int W) kernel, Generator generator, (int H, int W)? stride = null, (int H, int W)? padding = null,
        bool bias = true, Init init = Init.He, DType dtype = DType.Float32)
    {
        InChannels = LayerSize.Require(inChannels, nameof(inChannels), nameof(Conv2d));
        OutChannels = LayerSize.Require(outChannels, nameof(outChannels), nameof(Conv2d));
        Kernel = kernel;
        Stride = stride ?? (1, 1);
        Padding = padding ?? (0, 0);
        if (Math.Min(kernel.H, kernel.W) < 1 || Math.Min(Stride.H, Stride.W) < 1 || Math.Min(Padding.H, Padding.W) < 0)
            throw new ArgumentOutOfRangeException(Math.Min(kernel.H, kernel.W) < 1 ? nameof(kernel) : Math.Min(Stride.H, Stride.W) < 1 ? nameof(stride) : nameof(padding),
                $"Conv2d(kernel {kernel.H}×{kernel.W}, stride {Stride.H}×{Stride.W}, padding {Padding.H}×{Padding.W}): kernel and stride must be at least 1, and padding at least 0.");
        int fanIn = inChannels * kernel.H * kernel.W, fanOut = outChannels * kernel.H * kernel.W;
        double std = init == Init.He ? Math.Sqrt(2.0 / fanIn) : Math.Sqrt(2.0 / (fanIn + fanOut));
        Weight = RegisterParameter("weight", Tensor.RandomNormal(generator, 0, std, dtype, outChannels, inChannels, kernel.H, kernel.W));
        Bias = bias ? RegisterParameter("bias", Tensor.Zeros(dtype, outChannels)) : null;
    }

    /// <summary>Creates a layer with a square kernel, equal stride and equal padding.</summary>
    /// <param name="inChannels">Input channels C.</param>
    /// <param name="outChannels">Output channels O.</param>
    /// <param name="kernelSize">k, for a k×k kernel.</param>
    /// <param name="generator">The seeded generator for the weights.</param>
    /// <param name="stride">The stride in both directions.</param>
    /// <param name="padding">The zero padding on every side.</param>
    /// <param name="bias">Whether to add a bias.</param>
    /// <param name="dtype">The parameters' element type.</param>
    public Conv2d(int inChannels, int outChannels, int kernelSize, Generator generator, int stride = 1, int padding = 0, bool bias = true, DType dtype = DType.Float32)
        : this(inChannels, outChannels, (kernelSize, kernelSize), generator, (stride, stride), (padding, padding), bias, Init.He, dtype)
    {
    }

    /// <summary>Input channels.</summary>
    public int InChannels { get; }

    /// <summary>Output channels.</summary>
    public int OutChannels { get; }

    /// <summary>(kh, kw).</summary>
    public (int H, int W) Kernel { get; }

    /// <summary>(sh, sw).</summary>
    public (int H, int W) Stride { get; }

    /// <summary>(ph, pw).</summary>
    public (int H, int W) Padding { get; }

    /// <summary>W, shape [out, in, kh, kw].</summary>
    public Tensor Weight { get; }

    /// <summary>b, shape [out], or null.</summary>
    public Tensor? Bias { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Conv2d(input, Weight, Bias, Stride, Padding);

    /// <inheritdoc/>
    public override string Describe() =>
        $"Conv2d({InChannels} → {OutChannels}, {Kernel.H}×{Kernel.W}, stride {Stride.H}×{Stride.W}, padding {Padding.H}×{Padding.W}{(Bias is null ? ", no bias" : "")})";
}
