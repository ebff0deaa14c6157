namespace SharpGrad.Nn;

/// <summary>
/// A 2-D pooling layer: a kernel window slid over each channel with a stride and padding (<see cref="MaxPool2d"/>,
/// <see cref="AvgPool2d"/>).
/// </summary>
public abstract class Pool2d : Module
{
    /// <summary>Sets the window.</summary>
    /// <param name="kernel">(kh, kw).</param>
    /// <param name="stride">(sh, sw); the kernel size when null, as in PyTorch.</param>
    /// <param name="padding">(ph, pw); (0, 0) when null.</param>
    /// <exception cref="ArgumentException">A kernel or stride below 1, or a padding below 0 or above half the kernel (⌊k/2⌋).</exception>
    private protected Pool2d((int H, int W) kernel, (int H, int W)? stride, (int H, int W)? padding)
    {
        Kernel = kernel;
        Stride = stride ?? kernel;
        Padding = padding ?? (0, 0);
        // Checked here, not only at the first Forward: a model file describing such a layer is then refused by
        // Module.LoadModel, naming the layer, instead of failing later as if the data did not fit.
        Functional.RequirePoolSettings(GetType().Name, Kernel, Stride, Padding);
    }

    /// <summary>Sets a square window.</summary>
    /// <param name="kernelSize">k.</param>
    /// <param name="stride">The stride in both directions, or 0 for the kernel size.</param>
    /// <param name="padding">The padding on every side.</param>
    private protected Pool2d(int kernelSize, int stride, int padding)
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
    public override string Describe() => Functional.DescribePool(GetType().Name, Kernel, Stride, Padding);
}

/// <summary>2-D max pooling: each output is the maximum of a kernel window (padding counts as −∞); see <see cref="Functional.MaxPool2d"/>.</summary>
public sealed class MaxPool2d : Pool2d
{
    /// <summary>Creates the layer.</summary>
    /// <param name="kernel">(kh, kw).</param>
    /// <param name="stride">(sh, sw); the kernel size when omitted, as in PyTorch.</param>
    /// <param name="padding">(ph, pw), at most half the kernel; (0, 0) when omitted.</param>
    public MaxPool2d((int H, int W) kernel, (int H, int W)? stride = null, (int H, int W)? padding = null)
        : base(kernel, stride, padding)
    {
    }

    /// <summary>Creates the layer with a square kernel (stride = kernel unless given).</summary>
    /// <param name="kernelSize">k.</param>
    /// <param name="stride">The stride in both directions, or 0 for the kernel size.</param>
    /// <param name="padding">The padding on every side.</param>
    public MaxPool2d(int kernelSize, int stride = 0, int padding = 0)
        : base(kernelSize, stride, padding)
    {
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.MaxPool2d(input, Kernel, Stride, Padding);
}

/// <summary>2-D average pooling: each output is the mean of a kernel window (padding counts as 0); see <see cref="Functional.AvgPool2d"/>.</summary>
public sealed class AvgPool2d : Pool2d
{
    /// <summary>Creates the layer.</summary>
    /// <param name="kernel">(kh, kw).</param>
    /// <param name="stride">(sh, sw); the kernel size when omitted, as in PyTorch.</param>
    /// <param name="padding">(ph, pw), at most half the kernel; (0, 0) when omitted.</param>
    public AvgPool2d((int H, int W) kernel, (int H, int W)? stride = null, (int H, int W)? padding = null)
        : base(kernel, stride, padding)
    {
    }

    /// <summary>Creates the layer with a square kernel (stride = kernel unless given).</summary>
    /// <param name="kernelSize">k.</param>
    /// <param name="stride">The stride in both directions, or 0 for the kernel size.</param>
    /// <param name="padding">The padding on every side.</param>
    public AvgPool2d(int kernelSize, int stride = 0, int padding = 0)
        : base(kernelSize, stride, padding)
    {
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.AvgPool2d(input, Kernel, Stride, Padding);
}
