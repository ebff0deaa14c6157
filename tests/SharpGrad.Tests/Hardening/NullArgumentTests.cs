using SharpGrad.Nn;

namespace SharpGrad.Tests.Hardening;

/// <summary>A null array, shape or layer is named as such (ArgumentNullException), not a NullReferenceException from inside.</summary>
public sealed class NullArgumentTests
{
    [Fact]
    public void FromArrayAndWrap_NameANullArrayOrShape()
    {
        Assert.Equal("values", Assert.Throws<ArgumentNullException>(() => Tensor.FromArray((float[])null!)).ParamName);
        Assert.Equal("values", Assert.Throws<ArgumentNullException>(() => Tensor.FromArray((double[])null!, 2)).ParamName);
        Assert.Equal("values", Assert.Throws<ArgumentNullException>(() => Tensor.FromArray((float[,])null!)).ParamName);
        Assert.Equal("values", Assert.Throws<ArgumentNullException>(() => Tensor.FromArray((double[,])null!)).ParamName);
        Assert.Equal("shape", Assert.Throws<ArgumentNullException>(() => Tensor.FromArray(new float[2], null!)).ParamName);
        Assert.Equal("values", Assert.Throws<ArgumentNullException>(() => Tensor.Wrap((double[])null!, 1)).ParamName);
        Assert.Equal("shape", Assert.Throws<ArgumentNullException>(() => Tensor.Wrap(new float[1], null!)).ParamName);
    }

    [Fact]
    public void Sequential_NamesANullLayerListOrTheNullLayersPosition()
    {
        Assert.Equal("layers", Assert.Throws<ArgumentNullException>(() => new Sequential(null!)).ParamName);
        var e = Assert.Throws<ArgumentNullException>(() => new Sequential(new ReLU(), null!, new ReLU()));
        Assert.Equal("Sequential: layer 1 is null. (Parameter 'layer')", e.Message);
        Assert.Equal("Sequential: layer 0 is null. (Parameter 'layer')", Assert.Throws<ArgumentNullException>(() => new Sequential().Add(null!)).Message);
    }
}
