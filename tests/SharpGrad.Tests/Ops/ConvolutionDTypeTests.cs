namespace SharpGrad.Tests.Ops;

/// <summary>
/// conv2d with operands of different element types names its own operands. The check was left to the matrix product
/// inside, so the message named an internal [2, 9] weight matrix and [9, 9] column matrix the caller never made.
/// </summary>
public sealed class ConvolutionDTypeTests
{
    [Fact]
    public void Conv2d_WeightOfAnotherDType_NamesTheInputAndTheWeight()
    {
        var e = Assert.Throws<ArgumentException>(() => Functional.Conv2d(Tensor.Ones(1, 1, 5, 5), Tensor.Ones(DType.Float64, 2, 1, 3, 3)));
        Assert.Equal("conv2d: operands have different dtypes (Float32 [1, 1, 5, 5] and Float64 [2, 1, 3, 3]); convert one with To().", e.Message);
    }

    [Fact]
    public void Conv2d_BiasOfAnotherDType_NamesTheInputAndTheBias()
    {
        var e = Assert.Throws<ArgumentException>(() => Functional.Conv2d(Tensor.Ones(1, 1, 5, 5), Tensor.Ones(2, 1, 3, 3), Tensor.Zeros(DType.Float64, 2)));
        Assert.Equal("conv2d: operands have different dtypes (Float32 [1, 1, 5, 5] and Float64 [2]); convert one with To().", e.Message);
    }

    [Fact]
    public void Conv2d_InFloat64_StillComputesByHand()
    {
        // A 2×2 image [[1, 2], [3, 4]], a 2×2 kernel [[1, 0], [0, −1]] and bias 0.5: 1 − 4 + 0.5 = −2.5.
        var y = Functional.Conv2d(
            Tensor.FromArray(new double[] { 1, 2, 3, 4 }, 1, 1, 2, 2),
            Tensor.FromArray(new double[] { 1, 0, 0, -1 }, 1, 1, 2, 2),
            Tensor.FromArray(new double[] { 0.5 }, 1));
        Assert.Equal([-2.5], y.ToDoubleArray());
    }
}
