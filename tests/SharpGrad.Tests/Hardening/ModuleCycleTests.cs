using SharpGrad.Nn;

namespace SharpGrad.Tests.Hardening;

/// <summary>
/// A module added to itself, or to one of its own descendants, is refused: the module would contain itself, and listing
/// its parameters (or ToString, or Train) recursed until the process died of a stack overflow.
/// </summary>
public sealed class ModuleCycleTests
{
    [Fact]
    public void Sequential_AddedToItself_IsRefused()
    {
        var model = new Sequential(new ReLU());
        var e = Assert.Throws<ArgumentException>(() => model.Add(model));
        Assert.Equal("Sequential: child '1' is this module itself; a module cannot contain itself. (Parameter 'module')", e.Message);
        Assert.Single(model.Layers); // unchanged
        Assert.Equal("Sequential(ReLU)", model.ToString());
    }

    [Fact]
    public void Sequential_AddedToItsOwnDescendant_IsRefused()
    {
        var inner = new Sequential(new Linear(2, 2, new Generator(1)));
        var middle = new Sequential(inner);
        var outer = new Sequential(middle);
        var e = Assert.Throws<ArgumentException>(() => inner.Add(outer));
        Assert.Equal("Sequential: child '1' (Sequential) contains this module; a module cannot contain itself. (Parameter 'module')", e.Message);
        Assert.Equal(2, outer.Parameters().Count());
    }

    [Fact]
    public void AModuleUsedTwice_IsStillAllowed()
    {
        var shared = new Linear(2, 2, new Generator(1));
        var model = new Sequential(shared, new ReLU(), shared);
        Assert.Equal(3, model.Layers.Count);
        Assert.Equal(2, model.Parameters().Count()); // weight and bias, once
        Assert.Equal(4, model.NamedParameters().Count());
    }
}
