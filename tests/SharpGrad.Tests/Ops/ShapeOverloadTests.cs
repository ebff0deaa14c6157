namespace SharpGrad.Tests.Ops;

/// <summary>
/// The span overloads of Reshape, Permute, Sum and Mean (and the int[] ones they sit beside), checked against index
/// arithmetic done here with plain loops, plus the error messages of bad arguments.
/// </summary>
public class ShapeOverloadTests
{
    private static Tensor Sequence(params int[] shape)
    {
        int n = 1;
        foreach (int d in shape) n *= d;
        return Tensor.FromArray(Enumerable.Range(0, n).Select(i => (double)i * 0.5 - 3).ToArray(), shape);
    }

    [Fact]
    public void Reshape_SpanAndArrayOverloads_KeepTheRowMajorOrder_AndInferMinusOne()
    {
        var x = Sequence(2, 3, 4);
        int[] shape = [4, -1];
        var fromArray = x.Reshape(shape);
        var fromSpan = x.Reshape(4, -1);
        Assert.Equal(new[] { 4, 6 }, fromArray.ShapeArray());
        Assert.Equal(new[] { 4, 6 }, fromSpan.ShapeArray());
        Assert.Equal(x.ToDoubleArray(), fromArray.ToDoubleArray());
        Assert.Equal(x.ToDoubleArray(), fromSpan.ToDoubleArray());
        shape[0] = 99; // the tensor keeps its own copy of the caller's array
        Assert.Equal(new[] { 4, 6 }, fromArray.ShapeArray());
    }

    [Fact]
    public void Reshape_WithTwoUnknownDimensions_NamesBothShapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Sequence(2, 3).Reshape(-1, -1));
        Assert.Contains("[2, 3]", ex.Message);
        Assert.Contains("[-1, -1]", ex.Message);
    }

    [Fact]
    public void Permute_SpanAndArrayOverloads_MoveEveryElement_AndTheGradientBack()
    {
        var x = Sequence(2, 3, 4).WithRequiresGrad();
        var y = x.Permute(2, 0, -2); // −2 is axis 1
        Assert.Equal(new[] { 4, 2, 3 }, y.ShapeArray());
        Assert.Equal(y.ToDoubleArray(), x.Permute(new[] { 2, 0, 1 }).ToDoubleArray());
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 3; j++)
                for (int k = 0; k < 4; k++)
                    Assert.Equal(x[i, j, k], y[k, i, j]);

        // With L = Σ w ⊙ y for a weight w laid out like y, ∂L/∂x[i, j, k] = w[k, i, j].
        var w = Sequence(4, 2, 3);
        (y * w).Sum().Backward();
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 3; j++)
                for (int k = 0; k < 4; k++)
                    Assert.Equal(w[k, i, j], x.Grad![i, j, k]);
    }

    [Fact]
    public void Permute_WithARepeatedAxis_NamesTheAxesAndTheShape()
    {
        var ex = Assert.Throws<ArgumentException>(() => Sequence(2, 3, 4).Permute(0, -3, 1));
        Assert.Contains("[0, 0, 1]", ex.Message);
        Assert.Contains("[2, 3, 4]", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => Sequence(2, 3, 4).Permute(1, 0));
        Assert.Contains("2 axes", ex.Message);
        Assert.Contains("[2, 3, 4]", ex.Message);
    }

    [Fact]
    public void SumAndMean_OverAxes_MatchLoops()
    {
        var x = Sequence(2, 3, 4);
        var sum = x.Sum([0, -1]); // −1 is axis 2
        var mean = x.Mean(new[] { 0, 2 }, keepDims: true);
        Assert.Equal(new[] { 3 }, sum.ShapeArray());
        Assert.Equal(new[] { 1, 3, 1 }, mean.ShapeArray());
        for (int j = 0; j < 3; j++)
        {
            double expected = 0;
            for (int i = 0; i < 2; i++)
                for (int k = 0; k < 4; k++)
                    expected += x[i, j, k];
            Assert.Equal(expected, sum[j], 12);
            Assert.Equal(expected / 8, mean[0, j, 0], 12);
        }
    }

    [Fact]
    public void SumAndMean_Throw_NamingTheRepeatedAxisAndTheShape_InBothOverloads()
    {
        var x = Sequence(2, 3, 4);
        Assert.Equal("sum: axis 0 appears more than once in [0, 0] for a tensor of shape [2, 3, 4]. (Parameter 'axes')",
            Assert.Throws<ArgumentException>(() => x.Sum(new[] { 0, 0 })).Message);
        Assert.Equal("sum: axis 2 appears more than once in [0, 2, -1] for a tensor of shape [2, 3, 4]. (Parameter 'axes')",
            Assert.Throws<ArgumentException>(() => x.Sum((ReadOnlySpan<int>)[0, 2, -1], keepDims: true)).Message);
        Assert.Equal("mean: axis 2 appears more than once in [0, 2, 2] for a tensor of shape [2, 3, 4]. (Parameter 'axes')",
            Assert.Throws<ArgumentException>(() => x.Mean(new[] { 0, 2, 2 }, keepDims: true)).Message);
        Assert.Equal("mean: axis 1 appears more than once in [-2, 1] for a tensor of shape [2, 3, 4]. (Parameter 'axes')",
            Assert.Throws<ArgumentException>(() => x.Mean((ReadOnlySpan<int>)[-2, 1])).Message);
    }

    [Fact]
    public void Max_WithoutKeepDims_DropsTheAxis_AndMatchesLoops()
    {
        var x = Tensor.FromArray(new double[] { 3, -1, 7, 2, 9, 0, -4, 5, 1, 8, 6, -2 }, 2, 3, 2);
        var y = x.Max(1);
        Assert.Equal(new[] { 2, 2 }, y.ShapeArray());
        for (int i = 0; i < 2; i++)
            for (int k = 0; k < 2; k++)
                Assert.Equal(Math.Max(x[i, 0, k], Math.Max(x[i, 1, k], x[i, 2, k])), y[i, k]);
    }

    [Fact]
    public void Pow_WithAGeneralExponent_MatchesMathPow_AndItsDerivative()
    {
        var x = Tensor.FromArray(new double[] { 0.25, 1, 2.5, 9 }).WithRequiresGrad();
        var y = x.Pow(-0.5);
        y.Sum().Backward();
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(Math.Pow(x[i], -0.5), y[i], 14);
            Assert.Equal(-0.5 * Math.Pow(x[i], -1.5), x.Grad![i], 14);
        }
    }
}
