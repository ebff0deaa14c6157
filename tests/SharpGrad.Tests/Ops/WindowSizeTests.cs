namespace SharpGrad.Tests.Ops;

/// <summary>
/// A convolution or pooling whose padded image, output or matrix of windows is larger than a tensor is refused
/// naming the operands, the stride, the padding and the size. The window geometry is computed in 32 bits, so a large
/// padding overflowed: conv2d with padding 2³¹ − 1 returned a [1, 2, 1, 1] tensor of zeros, padding 2²⁰ threw
/// .NET's bare "Specified argument was out of the range of valid values." from inside im2col, and padding 20000
/// named an internal [9, 1600240009] matrix.
/// </summary>
public sealed class WindowSizeTests
{
    private static string Refused(Func<Tensor> operation) => Assert.Throws<ArgumentException>(operation).Message;

    [Fact]
    public void Conv2d_PaddingBeyondATensorDimension_IsRefused_NotComputedAsOneZero()
    {
        Assert.Equal(
            "conv2d: input [1, 1, 5, 5] and weight [2, 1, 3, 3] with stride 1×1 and padding 2147483647×2147483647 give a padded image of 4294967299×4294967299, larger than a tensor dimension can be (2147483647).",
            Refused(() => Functional.Conv2d(Tensor.Ones(1, 1, 5, 5), Tensor.Ones(2, 1, 3, 3), null, 1, int.MaxValue)));
        Assert.Equal(
            "conv2d: input [1, 1, 5, 5] and weight [2, 1, 3, 3] with stride 1×1073741824 and padding 0×1073741824 give a padded image of 5×2147483653, larger than a tensor dimension can be (2147483647).",
            Refused(() => Functional.Conv2d(Tensor.Ones(1, 1, 5, 5), Tensor.Ones(2, 1, 3, 3), null, (1, 1 << 30), (0, 1 << 30))));
    }

    [Theory]
    [InlineData(20000, "1×2×40003×40003")]
    [InlineData(1 << 20, "1×2×2097155×2097155")]
    public void Conv2d_AnOutputLargerThanATensor_IsRefused_NamingTheOperandsAndTheOutput(int padding, string output)
    {
        Assert.Equal(
            $"conv2d: input [1, 1, 5, 5] and weight [2, 1, 3, 3] with stride 1×1 and padding {padding}×{padding} give an output of {output}, more values than a tensor can hold (2147483647); use a smaller padding or a larger stride.",
            Refused(() => Functional.Conv2d(Tensor.Ones(1, 1, 5, 5), Tensor.Ones(2, 1, 3, 3), null, 1, padding)));
    }

    [Fact]
    public void Pooling_TooLargeToComputeInATensor_IsRefused()
    {
        Assert.Equal(
            "avgPool2d: input [1, 1000, 200, 200] and a 50×50 window with stride 1×1 and padding 0×0 need a 2500000×22801 matrix of windows (im2col), more values than a tensor can hold (2147483647); use a smaller padding or a larger stride.",
            Refused(() => Functional.AvgPool2d(Tensor.Ones(1, 1000, 200, 200), (50, 50), (1, 1), (0, 0))));
        Assert.Equal(
            "maxPool2d: input [1, 1, 5, 5] and a 2147483647×2 window with stride 1×1 and padding 1073741823×0 give a padded image of 2147483651×5, larger than a tensor dimension can be (2147483647).",
            Refused(() => Functional.MaxPool2d(Tensor.Ones(1, 1, 5, 5), (int.MaxValue, 2), (1, 1), (int.MaxValue / 2, 0))));
    }

    [Fact]
    public void Conv2d_WithAnOrdinaryPadding_StillComputesByHand()
    {
        // A 3×3 image of ones, a 3×3 kernel of ones, padding 1: each output counts the image pixels under its window.
        var y = Functional.Conv2d(Tensor.Ones(DType.Float64, 1, 1, 3, 3), Tensor.Ones(DType.Float64, 1, 1, 3, 3), null, 1, 1);
        Assert.Equal([1, 1, 3, 3], y.ShapeArray());
        Assert.Equal([4.0, 6, 4, 6, 9, 6, 4, 6, 4], y.ToDoubleArray());
        var empty = Functional.Conv2d(Tensor.Ones(0, 1, 5, 5), Tensor.Ones(2, 1, 3, 3), null, 1, 1);
        Assert.Equal([0, 2, 5, 5], empty.ShapeArray());
    }
}
