using SharpGrad.Kernels;
using SharpGrad.Ops;

namespace SharpGrad;

public static partial class Functional
{
    /// <summary>
    /// 2-D convolution (cross-correlation, as in PyTorch) of an NCHW batch:
    /// y[n, o, r, s] = b[o] + Σ_{c,i,j} W[o, c, i, j] · x[n, c, r·sh − ph + i, s·sw − pw + j], zero outside the image.
    /// Computed as one matrix product W[O, C·kh·kw] · im2col(x)[C·kh·kw, N·OH·OW]. Composed from im2col, matmul,
    /// reshape and permute, so the backward (∂L/∂W = ∂L/∂Y·colsᵀ, ∂L/∂x = col2im(Wᵀ·∂L/∂Y), ∂L/∂b = Σ ∂L/∂Y) is itself
    /// differentiable to any order.
    /// </summary>
    /// <param name="input">x, shape [N, C, H, W].</param>
    /// <param name="weight">W, shape [O, C, kh, kw].</param>
    /// <param name="bias">b, shape [O], or null.</param>
    /// <param name="stride">(sh, sw), each at least 1.</param>
    /// <param name="padding">(ph, pw), zero rows/columns added on each side, each non-negative.</param>
    /// <returns>y, shape [N, O, OH, OW] with OH = ⌊(H + 2ph − kh)/sh⌋ + 1 and OW likewise.</returns>
    /// <exception cref="ArgumentException">The shapes, dtypes or settings do not fit together; the message names them.</exception>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias, (int H, int W) stride, (int H, int W) padding)
    {
        if (input.Rank != 4 || weight.Rank != 4 || input.Shape[1] != weight.Shape[1])
            throw new ArgumentException($"conv2d: input {Shapes.Format(input.Shape)} must be [N, C, H, W] and weight {Shapes.Format(weight.Shape)} [O, C, kh, kw] with the same C.");
        int outChannels = weight.Shape[0];
        if (bias is not null && (bias.Rank != 1 || bias.Shape[0] != outChannels))
            throw new ArgumentException($"conv2d: bias {Shapes.Format(bias.Shape)} must be [{outChannels}].");
        // Checked here, so the message names these operands and not the internal [O, C·kh·kw] and [C·kh·kw, N·OH·OW] matrices.
        Kernel.RequireSameDType(input, weight, "conv2d");
        if (bias is not null) Kernel.RequireSameDType(input, bias, "conv2d");
        RequireWindowSizes("conv2d", input, weight, (weight.Shape[2], weight.Shape[3]), stride, padding, outChannels, unfolds: true);
        var g = new WindowGeometry(input.Shape[0], input.Shape[1], input.Shape[2], input.Shape[3], weight.Shape[2], weight.Shape[3], stride.H, stride.W, padding.H, padding.W);
        g.Validate("conv2d");
        var cols = Unfold.Apply(input, g);
        var y = MatMul.Apply(weight.Reshape(outChannels, g.Rows), cols); // [O, N·OH·OW]
        if (bias is not null) y = Add.Apply(y, bias.Reshape(outChannels, 1));
        return y.Reshape(outChannels, g.Batch, g.OutH * g.OutW).Permute(1, 0, 2).Reshape(g.Batch, outChannels, g.OutH, g.OutW);
    }

    /// <summary>2-D convolution with equal stride and padding in both directions (see <see cref="Conv2d(Tensor, Tensor, Tensor?, ValueTuple{int, int}, ValueTuple{int, int})"/>).</summary>
    /// <param name="input">x, shape [N, C, H, W].</param>
    /// <param name="weight">W, shape [O, C, kh, kw].</param>
    /// <param name="bias">b, shape [O], or null.</param>
    /// <param name="stride">The stride in both directions.</param>
    /// <param name="padding">The zero padding on every side.</param>
    /// <returns>y, shape [N, O, OH, OW].</returns>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0) =>
        Conv2d(input, weight, bias, (stride, stride), (padding, padding));

    /// <summary>
    /// 2-D max pooling of an NCHW batch: y[n, c, r, s] = max over the kernel window at (r·sh − ph, s·sw − pw) of x,
    /// with padding treated as −∞ (as in PyTorch). The gradient goes to the window's maximum (the first, if tied;
    /// a NaN in the window is the maximum). Computed directly on the planes (no im2col matrix); its backward is
    /// itself an operation, so it is differentiable to any order.
    /// </summary>
    /// <param name="input">x, shape [N, C, H, W].</param>
    /// <param name="kernel">(kh, kw).</param>
    /// <param name="stride">(sh, sw).</param>
    /// <param name="padding">(ph, pw), at most half the kernel.</param>
    /// <returns>y, shape [N, C, OH, OW].</returns>
    /// <exception cref="ArgumentException">The input is not 4-D, or a setting is out of range.</exception>
    public static Tensor MaxPool2d(Tensor input, (int H, int W) kernel, (int H, int W) stride, (int H, int W) padding)
    {
        var g = PoolGeometry("maxPool2d", input, kernel, stride, padding);
        return PoolGather.Apply(input, input, g);
    }

    /// <summary>
    /// 2-D average pooling of an NCHW batch: y[n, c, r, s] = (1 / (kh·kw)) · Σ over the kernel window of x, padding
    /// counted as zeros (PyTorch's default <c>count_include_pad</c>). Each window element receives 1/(kh·kw) of the gradient.
    /// </summary>
    /// <param name="input">x, shape [N, C, H, W].</param>
    /// <param name="kernel">(kh, kw).</param>
    /// <param name="stride">(sh, sw).</param>
    /// <param name="padding">(ph, pw), at most half the kernel.</param>
    /// <returns>y, shape [N, C, OH, OW].</returns>
    /// <exception cref="ArgumentException">The input is not 4-D, or a setting is out of range.</exception>
    public static Tensor AvgPool2d(Tensor input, (int H, int W) kernel, (int H, int W) stride, (int H, int W) padding)
    {
        var g = PoolGeometry("avgPool2d", input, kernel, stride, padding);
        var windows = Unfold.Apply(input, g).Reshape(g.Channels, kernel.H * kernel.W, g.Columns);
        return FromChannelMajor(windows.Sum(1) * (1.0 / (kernel.H * kernel.W)), g);
    }

    private static WindowGeometry PoolGeometry(string operation, Tensor input, (int H, int W) kernel, (int H, int W) stride, (int H, int W) padding)
    {
        if (input.Rank != 4)
            throw new ArgumentException($"{operation}: input {Shapes.Format(input.Shape)} must be [N, C, H, W].");
        RequirePoolSettings(operation, kernel, stride, padding);
        RequireWindowSizes(operation, input, null, kernel, stride, padding, input.Shape[1], unfolds: operation != "maxPool2d");
        var g = new WindowGeometry(input.Shape[0], input.Shape[1], input.Shape[2], input.Shape[3], kernel.H, kernel.W, stride.H, stride.W, padding.H, padding.W);
        g.Validate(operation); // the settings passed RequirePoolSettings: for pooling only the fit of a window can still fail here
        return g;
    }

    /// <summary>
    /// Checks, in 64-bit arithmetic, that the padded input, the output and the column matrix of a sliding window fit
    /// in a tensor. <see cref="WindowGeometry"/> computes these sizes in 32 bits, so a large padding overflowed them:
    /// a conv2d with padding 2³¹ − 1 returned a 1×1 output of zeros, and smaller ones failed inside im2col or named
    /// an internal [C·kh·kw, N·OH·OW] matrix. Settings out of range, and a kernel that does not fit, are left to
    /// <see cref="WindowGeometry.Validate"/>, whose messages name them.
    /// </summary>
    /// <param name="operation">The operation, as the message starts.</param>
    /// <param name="input">x, shape [N, C, H, W].</param>
    /// <param name="weight">A convolution's W, shape [O, C, kh, kw], named in the message; null for pooling, whose window is named.</param>
    /// <param name="kernel">(kh, kw).</param>
    /// <param name="stride">(sh, sw).</param>
    /// <param name="padding">(ph, pw).</param>
    /// <param name="outChannels">The output's channels (O for a convolution, C for pooling).</param>
    /// <param name="unfolds">Whether the operation builds the [C·kh·kw, N·OH·OW] matrix of windows (conv2d, avgPool2d).</param>
    /// <exception cref="ArgumentException">A size exceeds what a tensor holds; the message names the operands, the settings and the size.</exception>
    private static void RequireWindowSizes(string operation, Tensor input, Tensor? weight, (int H, int W) kernel, (int H, int W) stride, (int H, int W) padding, int outChannels, bool unfolds)
    {
        if (kernel.H < 1 || kernel.W < 1 || stride.H < 1 || stride.W < 1 || padding.H < 0 || padding.W < 0) return;
        long paddedH = input.Shape[2] + 2L * padding.H, paddedW = input.Shape[3] + 2L * padding.W;
        if (paddedH < kernel.H || paddedW < kernel.W) return;
        long outH = (paddedH - kernel.H) / stride.H + 1, outW = (paddedW - kernel.W) / stride.W + 1;
        // Runs on every training step, which must not allocate: the message is made only when it is thrown.
        string Settings() =>
            $"{operation}: input {Shapes.Format(input.Shape)} and {(weight is null ? $"a {kernel.H}×{kernel.W} window" : $"weight {Shapes.Format(weight.Shape)}")} with stride {stride.H}×{stride.W} and padding {padding.H}×{padding.W}";
        if (paddedH > int.MaxValue || paddedW > int.MaxValue)
            throw new ArgumentException($"{Settings()} give a padded image of {paddedH}×{paddedW}, larger than a tensor dimension can be ({int.MaxValue}).");
        // Products of three or more sizes below 2³¹ can pass 64 bits: they are computed in 128.
        Int128 perImage = (Int128)outH * outW;
        Int128 outputs = input.Shape[0] * (Int128)outChannels * perImage;
        if (outputs > int.MaxValue)
            throw new ArgumentException(
                $"{Settings()} give an output of {input.Shape[0]}×{outChannels}×{outH}×{outW}, more values than a tensor can hold ({int.MaxValue}); use a smaller padding or a larger stride.");
        Int128 rows = (Int128)input.Shape[1] * kernel.H * kernel.W, columns = input.Shape[0] * perImage;
        if (unfolds && rows * columns > int.MaxValue)
            throw new ArgumentException(
                $"{Settings()} need a {rows}×{columns} matrix of windows (im2col), more values than a tensor can hold ({int.MaxValue}); use a smaller padding or a larger stride.");
    }

    /// <summary>A pooling window's settings as the messages and <see cref="Nn.Pool2d.Describe"/> show them: <c>name(kh×kw, stride sh×sw, padding ph×pw)</c>.</summary>
    internal static string DescribePool(string name, (int H, int W) kernel, (int H, int W) stride, (int H, int W) padding) =>
        $"{name}({kernel.H}×{kernel.W}, stride {stride.H}×{stride.W}, padding {padding.H}×{padding.W})";

    /// <summary>
    /// The one check of a pooling window's settings, for the pooling functions and the <see cref="Nn.Pool2d"/> layers
    /// (which check at construction, before any input is seen): kh, kw, sh, sw ≥ 1 and 0 ≤ ph ≤ ⌊kh/2⌋, 0 ≤ pw ≤ ⌊kw/2⌋
    /// (PyTorch's limit: a window never lies wholly in the padding).
    /// </summary>
    /// <param name="name">The operation or layer, as the message starts (e.g. "maxPool2d", "MaxPool2d").</param>
    /// <param name="kernel">(kh, kw).</param>
    /// <param name="stride">(sh, sw).</param>
    /// <param name="padding">(ph, pw).</param>
    /// <exception cref="ArgumentException">A setting is out of range; the message shows all of them.</exception>
    internal static void RequirePoolSettings(string name, (int H, int W) kernel, (int H, int W) stride, (int H, int W) padding)
    {
        if (kernel.H < 1 || kernel.W < 1 || stride.H < 1 || stride.W < 1 || padding.H < 0 || padding.W < 0 || padding.H > kernel.H / 2 || padding.W > kernel.W / 2)
            throw new ArgumentException($"{DescribePool(name, kernel, stride, padding)}: kernel and stride must be at least 1, and padding between 0 and half the kernel.");
    }

    /// <summary>[C, N·OH·OW] → [N, C, OH, OW].</summary>
    private static Tensor FromChannelMajor(Tensor y, WindowGeometry g) =>
        y.Reshape(g.Channels, g.Batch, g.OutH * g.OutW).Permute(1, 0, 2).Reshape(g.Batch, g.Channels, g.OutH, g.OutW);
}
