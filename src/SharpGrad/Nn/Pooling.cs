namespace SharpGrad.Nn;

/// <summary>2-D max pooling: each output is the maximum of a kernel window (padding counts as −∞); see <see cref="Functional.MaxPool2d"/>.</summary>
public sealed class MaxPool2d : Module
{
    /// <summary>Creates the layer.</summary>
    /// <param name="kernel">(kh, kw).</param>
    /// <param name="stride">(sh, sw); the kernel size when omitted, as in PyTorch.</param>
    /// <param name="padding">(ph, pw), at most half the kernel; (0, 0) when omitted.</param>
    public MaxPool2d((int H, int W) kernel, (int H, int W)? stride = null, (int H, int W)? padding = null)
    {
        Kernel = kernel;
        Stride = stride ?? kernel;
        Padding = padding ?? (0, 0);
    }

    /// <summary>Creates the layer with a square kernel (stride = kernel unless given).</summary>
    /// <param name="kernelSize">k.</param>
    /// <param name="stride">The stride in both directions, or 0 for the kernel size.</param>
    /// <param name="padding">The padding on every side.</param>
    public MaxPool2d(int kernelSize, int stride = 0, int padding = 0)
        : this((kernelSize, kernelSize), stride == 0 ? null : (stride, stride), (padding, padding))
    {
    }

    /// <summary>(kh, kw).</summary>
    public (int H, int W) Kernel { get; }

    /// <summary>(sh, sw).</summary>
    public (int H, int W) Stride { get; }

    /// <summary>(ph, pw).</summary>
    public (int H, int W) Padding { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.MaxPool2d(input, Kernel, Stride, Padding);

    /// <inheritdoc/>
    public override string Describe() => $"MaxPool2d({Kernel.H}×{Kernel.W}, stride {Stride.H}×{Stride.W}, padding {Padding.H}×{Padding.W})";
}

/// <summary>2-D average pooling: each output is the mean of a kernel window (padding counts as 0); see <see cref="Functional.AvgPool2d"/>.</summary>
public sealed class AvgPool2d : Module
{
    /// <summary>Creates the layer.</summary>
    /// <param name="kernel">(kh, kw).</param>
    /// <param name="stride">(sh, sw); the kernel size when omitted, as in PyTorch.</param>
    /// <param name="padding">(ph, pw), at most half the kernel; (0, 0) when omitted.</param>
    public AvgPool2d((int H, int W) kernel, (int H, int W)? stride = null, (int H, int W)? padding = null)
    {
        Kernel = kernel;
        Stride = stride ?? kernel;
        Padding = padding ?? (0, 0);
    }

    /// <summary>Creates the layer with a square kernel (stride = kernel unless given).</summary>
    /// <param name="kernelSize">k.</param>
    /// <param name="stride">The stride in both directions, or 0 for the kernel size.</param>
    /// <param name="padding">The padding on every side.</param>
    public AvgPool2d(int kernelSize, int stride = 0, int padding = 0)
        : this((kernelSize, kernelSize), stride == 0 ? null : (stride, stride), (padding, padding))
    {
    }

    /// <summary>(kh, kw).</summary>
    public (int H, int W) Kernel { get; }

    /// <summary>(sh, sw).</summary>
    public (int H, int W) Stride { get; }

    /// <summary>(ph, pw).</summary>
    public (int H, int W) Padding { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.AvgPool2d(input, Kernel, Stride, Padding);

    /// <inheritdoc/>
    public override string Describe() => $"AvgPool2d({Kernel.H}×{Kernel.W}, stride {Stride.H}×{Stride.W}, padding {Padding.H}×{Padding.W})";
}
