using SharpGrad.Nn;

namespace SharpGrad.Tests.Autograd;

/// <summary>ZeroGrad marks the buffer as zeros and the next backward writes over it; every observable value must be as if it had been cleared.</summary>
public class ZeroGradTests
{
    private static double[] Grad(Tensor t) => t.Grad!.ToDoubleArray();

    [Fact]
    public void AfterZeroGrad_TheNextBackward_GivesOneGradientNotTwo_ThroughTheFusedAffineOp()
    {
        var g = new Generator(3);
        var layer = new Linear(3, 2, g, dtype: DType.Float64);
        var x = Tensor.RandomUniform(g, -1, 1, DType.Float64, 4, 3);
        layer.Forward(x).Sum().Backward();
        var once = Grad(layer.Weight);
        var onceBias = Grad(layer.Bias!);
        layer.Forward(x).Sum().Backward();
        Assert.Equal(once.Select(v => 2 * v), Grad(layer.Weight)); // accumulated, as in PyTorch
        layer.ZeroGrad();
        layer.Forward(x).Sum().Backward();
        Assert.Equal(once, Grad(layer.Weight));
        Assert.Equal(onceBias, Grad(layer.Bias!));
        // ∂Σ(xWᵀ + b)/∂W[o, i] = Σₙ x[n, i], worked independently.
        var expected = Enumerable.Range(0, 6).Select(k => Enumerable.Range(0, 4).Sum(n => x[n, k % 3])).ToArray();
        for (int k = 0; k < 6; k++) Assert.Equal(expected[k], once[k], 12);
    }

    [Fact]
    public void AfterZeroGrad_TheNextBackward_GivesOneGradient_ThroughPlainOps_AndASharedLeafSumsItsUses()
    {
        var w = Tensor.FromArray([1.0, 2.0, 3.0]).WithRequiresGrad();
        (w * w).Sum().Backward(); // 2w
        w.ZeroGrad();
        (w * 3.0 + w * w).Sum().Backward(); // 3 + 2w, w reached by two nodes after ZeroGrad
        Assert.Equal(new[] { 5.0, 7.0, 9.0 }, Grad(w));
    }

    [Fact]
    public void ReadingTheGradientAfterZeroGrad_ShowsZeros_AndAStepWithoutBackward_UsesZeros()
    {
        var w = Tensor.FromArray([1f, 2f]).WithRequiresGrad();
        (w * w).Sum().Backward();
        var sgd = new SharpGrad.Optim.Sgd([w], 0.5);
        sgd.ZeroGrad();
        sgd.Step(); // zero gradient: nothing moves
        Assert.Equal([1f, 2f], w.ToFloatArray());
        Assert.Equal([0f, 0f], w.Grad!.ToFloatArray());
        (w * w).Sum().Backward();
        Assert.Equal([2f, 4f], w.Grad!.ToFloatArray());
    }

    [Fact]
    public void ZeroGradWithCreateGraph_StartsFromZero()
    {
        var x = Tensor.FromArray([3.0]).WithRequiresGrad();
        (x * x).Sum().Backward();
        x.ZeroGrad();
        (x * x * x).Sum().Backward(createGraph: true); // 3x² = 27, recorded
        Assert.Equal(27, x.Grad!.Item(), 12);
        Assert.NotNull(x.Grad.Creator);
    }
}
