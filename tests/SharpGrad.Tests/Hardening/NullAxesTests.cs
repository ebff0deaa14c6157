namespace SharpGrad.Tests.Hardening;

/// <summary>
/// A null axes array is refused by name: converted to a span it was empty, so Sum and Mean reduced over no axis and
/// returned the input unchanged (NumPy's axis=None sums everything), and Permute of a scalar accepted it.
/// </summary>
public sealed class NullAxesTests
{
    [Fact]
    public void SumMeanAndPermute_NameANullAxesArray()
    {
        var x = Tensor.FromArray(new float[] { 1, 2, 3, 4, 5, 6 }, 2, 3);
        Assert.Equal("axes", Assert.Throws<ArgumentNullException>(() => x.Sum((int[])null!)).ParamName);
        Assert.Equal("axes", Assert.Throws<ArgumentNullException>(() => x.Mean((int[])null!, keepDims: true)).ParamName);
        Assert.Equal("perm", Assert.Throws<ArgumentNullException>(() => x.Permute((int[])null!)).ParamName);
        Assert.Equal("perm", Assert.Throws<ArgumentNullException>(() => Tensor.Scalar(3).Permute((int[])null!)).ParamName);
        // An empty array still reduces over no axis, as NumPy's axis=() does.
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6 }, x.Sum(Array.Empty<int>()).ToFloatArray());
        Assert.Equal(new float[] { 2, 5 }, x.Mean(new[] { -1 }).ToFloatArray()); // (1+2+3)/3, (4+5+6)/3
    }
}
