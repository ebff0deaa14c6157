namespace SharpGrad.Tests.Hardening;

/// <summary>An axis out of range is reported with the operation, the axis and the tensor's shape.</summary>
public sealed class AxisMessageTests
{
    private static readonly Tensor X = Tensor.Zeros(2, 3);

    [Fact]
    public void AnAxisOutOfRange_NamesTheOperationTheAxisAndTheShape()
    {
        Assert.Equal("softmax: axis 5 is out of range for a tensor of shape [2, 3] (axes −2 to 1). (Parameter 'axis')",
            Assert.Throws<ArgumentOutOfRangeException>(() => X.Softmax(5)).Message);
        Assert.Equal("logSoftmax: axis -3 is out of range for a tensor of shape [2, 3] (axes −2 to 1). (Parameter 'axis')",
            Assert.Throws<ArgumentOutOfRangeException>(() => X.LogSoftmax(-3)).Message);
        Assert.Equal("max: axis 2 is out of range for a tensor of shape [2, 3] (axes −2 to 1). (Parameter 'axis')",
            Assert.Throws<ArgumentOutOfRangeException>(() => X.Max(2)).Message);
        Assert.Equal("transpose: axis 2 is out of range for a tensor of shape [2, 3] (axes −2 to 1). (Parameter 'axis')",
            Assert.Throws<ArgumentOutOfRangeException>(() => X.Transpose(0, 2)).Message);
        Assert.Equal("permute: axis 7 is out of range for a tensor of shape [2, 3] (axes −2 to 1). (Parameter 'axis')",
            Assert.Throws<ArgumentOutOfRangeException>(() => X.Permute(0, 7)).Message);
        Assert.StartsWith("sum: axis 4 is out of range for a tensor of shape [2, 3] (axes −2 to 1).",
            Assert.Throws<ArgumentOutOfRangeException>(() => X.Sum(4)).Message);
        Assert.Equal("softmax: axis 0 is out of range for a tensor of shape [], which has no axes. (Parameter 'axis')",
            Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Scalar(1).Softmax(0)).Message);
    }

    [Fact]
    public void ANegativeAxisInRange_CountsFromTheEnd()
    {
        var x = Tensor.FromArray(new double[] { 1, 5, 2, 7, 3, 4 }, 2, 3);
        Assert.Equal(new double[] { 5, 7 }, x.Max(-1).ToDoubleArray());
        Assert.Equal(new double[] { 7, 5, 4 }, x.Max(-2).ToDoubleArray());
    }
}
