namespace SharpGrad.Tests.Autograd;

public class EngineTests
{
    private static Tensor Leaf(double v) => Tensor.Scalar(v, DType.Float64, requiresGrad: true);

    [Fact]
    public void TensorUsedTwice_ReceivesSumOfGradients()
    {
        var x = Leaf(3);
        (x * x).Backward();
        Assert.Equal(6, x.Grad!.Item());

        var x2 = Leaf(3);
        (x2 * x2 + x2).Backward();
        Assert.Equal(7, x2.Grad!.Item());

        var a = Leaf(1);
        var b = a + a;
        var c = b + b;
        c.Backward();
        Assert.Equal(4, a.Grad!.Item());
    }

    [Fact]
    public void LeafGradients_AccumulateAcrossBackwardCalls_UntilZeroGrad()
    {
        var x = Leaf(3);
        (x * x).Backward();
        (x * x).Backward();
        Assert.Equal(12, x.Grad!.Item());
        x.ZeroGrad();
        Assert.Equal(0, x.Grad!.Item());
        (x * x).Backward();
        Assert.Equal(6, x.Grad!.Item());
    }

    [Fact]
    public void SharedPassThroughGradient_IsNotAliasedBetweenLeaves()
    {
        var a = Leaf(1);
        var b = Leaf(2);
        (a + b).Backward();
        (a * 3.0).Backward(); // accumulates into a only
        Assert.Equal(4, a.Grad!.Item());
        Assert.Equal(1, b.Grad!.Item());
    }

    [Fact]
    public void LinearLayerGradients_AccumulatedInPlace_EqualTwiceASingleBackward()
    {
        // The second backward adds ∂L/∂W straight into the existing buffer; the result must equal 2 × the first.
        var layer = new SharpGrad.Nn.Linear(4, 3, new Generator(9), dtype: DType.Float64);
        var x = Tensor.RandomNormal(new Generator(10), 0, 1, DType.Float64, 5, 4);
        Tensor Loss() => Functional.SoftmaxCrossEntropy(layer.Forward(x), [0, 1, 2, 0, 1]);
        Loss().Backward();
        var once = layer.Parameters().Select(p => p.Grad!.ToDoubleArray()).ToArray();
        Loss().Backward();
        var twice = layer.Parameters().Select(p => p.Grad!.ToDoubleArray()).ToArray();
        for (int i = 0; i < once.Length; i++)
            for (int j = 0; j < once[i].Length; j++) Assert.Equal(2 * once[i][j], twice[i][j], 12);
    }

    [Fact]
    public void Add_BroadcastsGradientBackToInputShape()
    {
        var a = Tensor.FromArray(new double[] { 1, 2 }, 2, 1).WithRequiresGrad();
        var b = Tensor.FromArray(new double[] { 10, 20, 30 }).WithRequiresGrad();
        var l = (a + b).Sum();
        Assert.Equal(129, l.Item());
        l.Backward();
        Assert.Equal(new[] { 2, 1 }, a.Grad!.ShapeArray());
        Assert.Equal(new double[] { 3, 3 }, a.Grad.ToDoubleArray());
        Assert.Equal(new double[] { 2, 2, 2 }, b.Grad!.ToDoubleArray());
    }

    [Fact]
    public void Mul_BroadcastsGradientBackToInputShape()
    {
        var a = Tensor.FromArray(new double[] { 1, 2 }, 2, 1).WithRequiresGrad();
        var b = Tensor.FromArray(new double[] { 10, 20, 30 }).WithRequiresGrad();
        var l = (a * b).Sum();
        Assert.Equal(180, l.Item());
        l.Backward();
        Assert.Equal(new double[] { 60, 60 }, a.Grad!.ToDoubleArray());
        Assert.Equal(new double[] { 3, 3, 3 }, b.Grad!.ToDoubleArray());
    }

    [Fact]
    public void Backward_OnNonScalarWithoutGradient_Throws()
    {
        var x = Tensor.FromArray(new double[] { 1, 2 }).WithRequiresGrad();
        var ex = Assert.Throws<InvalidOperationException>(() => (x * 2.0).Backward());
        Assert.Contains("[2]", ex.Message);
    }

    [Fact]
    public void Backward_WithExplicitSeed_OnNonScalar()
    {
        var x = Tensor.FromArray(new double[] { 1, 2 }).WithRequiresGrad();
        (x * x).Backward(Tensor.FromArray(new double[] { 1, 10 }));
        Assert.Equal(new double[] { 2, 40 }, x.Grad!.ToDoubleArray());
    }

    [Fact]
    public void LongChain_OfOneHundredThousandNodes_DoesNotOverflowTheStack()
    {
        var x = Leaf(1);
        var y = x;
        for (int i = 0; i < 100_000; i++) y = y + 0.0;
        y = y * 2.0;
        y.Backward();
        Assert.Equal(2, x.Grad!.Item());
    }

    [Fact]
    public void NoGrad_RecordsNoGraph()
    {
        var x = Leaf(2);
        Tensor y;
        using (Tensor.NoGrad()) y = x * x;
        Assert.Null(y.Creator);
        Assert.False(y.RequiresGrad);
        var z = x * x;
        Assert.NotNull(z.Creator);
    }

    [Fact]
    public void SecondBackward_AfterRelease_ThrowsAndNamesRetainGraph()
    {
        var b = Tensor.FromArray(new double[] { 1, 2, 3 }).WithRequiresGrad();
        var l = (b * 2.0).Sum();
        l.Backward();
        var ex = Assert.Throws<InvalidOperationException>(() => l.Backward());
        Assert.Contains("retainGraph", ex.Message);
    }

    [Fact]
    public void SecondBackward_NamesTheUserFacingOperation_OfAnInternalNode()
    {
        var b = Tensor.FromArray(new double[] { 1, 2, 3 }).WithRequiresGrad();
        var sum = (b * 2.0).Sum();
        sum.Backward();
        Assert.StartsWith("Backward through the 'reshape' node (an internal step of Sum) a second time",
            Assert.Throws<InvalidOperationException>(() => sum.Backward()).Message);

        var mean = b.Mean([0]); // Mean's own nodes and the Sum inside it are all Mean's steps
        mean.Backward();
        // Mean is Sum(x) · (1/m): its output comes from a 'mul' node.
        Assert.StartsWith("Backward through the 'mul' node (an internal step of Mean) a second time",
            Assert.Throws<InvalidOperationException>(() => mean.Backward()).Message);
        Assert.All(mean.Creator!.Inputs.Where(i => i.Creator is not null), i => Assert.Equal("Mean", i.Creator!.PartOf));

        var product = b * 2.0; // recorded directly: no composite named
        product.Sum().Backward();
        Assert.Null(product.Creator!.PartOf);
    }

    [Fact]
    public void RetainGraph_AllowsSecondBackward_AndGradientsAccumulate()
    {
        var b = Tensor.FromArray(new double[] { 1, 2, 3 }).WithRequiresGrad();
        var l = (b * 2.0).Sum();
        l.Backward(retainGraph: true);
        Assert.Equal(new double[] { 2, 2, 2 }, b.Grad!.ToDoubleArray());
        l.Backward();
        Assert.Equal(new double[] { 4, 4, 4 }, b.Grad!.ToDoubleArray());
    }

    [Fact]
    public void InPlaceChange_OfSavedInput_MakesBackwardThrow()
    {
        var x = Leaf(3);
        var y = x * x;
        x[Array.Empty<int>()] = 5;
        Assert.Throws<InvalidOperationException>(() => y.Backward());
    }

    [Fact]
    public void InPlaceChange_ThroughAReshapeView_MakesBackwardThrow()
    {
        // y = x0² + x1² saved x = [3, 4]; writing 5 through a view of x would make the gradient [10, 8] instead of [6, 8].
        var x = Tensor.FromArray([3.0, 4.0], 2).WithRequiresGrad();
        var y = (x * x).Sum();
        var view = x.Reshape(1, 2);
        view[0, 0] = 5;
        var e = Assert.Throws<InvalidOperationException>(() => y.Backward());
        Assert.Contains("modified in place", e.Message);
    }

    [Fact]
    public void InPlaceChange_ThroughADetachedCopy_MakesBackwardThrow()
    {
        var x = Leaf(3);
        var y = x * x;
        var detached = x.Detach();
        detached[Array.Empty<int>()] = 5;
        Assert.Equal(5, x.Item()); // the storage is shared, as in PyTorch
        var e = Assert.Throws<InvalidOperationException>(() => y.Backward());
        Assert.Contains("modified in place", e.Message);
    }

    [Fact]
    public void InPlaceChange_ThroughANoGradView_IsSeenByTheNodesThatSavedTheBase()
    {
        var x = Tensor.FromArray([3.0, 4.0], 2).WithRequiresGrad();
        Tensor view;
        using (Tensor.NoGrad()) view = x.Reshape(2, 1);
        var y = (x * x).Sum();
        view[1, 0] = 7;
        Assert.Throws<InvalidOperationException>(() => y.Backward());
    }

    [Fact]
    public void SharedVersion_LeavesUnchangedAliasesAlone()
    {
        // A view and a detached copy that are only read give the usual gradient 2x = [6, 8].
        var x = Tensor.FromArray([3.0, 4.0], 2).WithRequiresGrad();
        var view = x.Reshape(1, 2);
        var y = (view * view).Sum() + (x.Detach() * 0.0).Sum();
        y.Backward();
        Assert.Equal([6.0, 8.0], x.Grad!.ToDoubleArray());
    }

    [Fact]
    public void Backward_FromTensorWithoutGrad_Throws()
    {
        var x = Tensor.Scalar(1, DType.Float64);
        Assert.Throws<InvalidOperationException>(() => (x * 2.0).Backward());
    }

    [Fact]
    public void AutogradGrad_ReturnsGradientsWithoutTouchingGrad()
    {
        var x = Leaf(3);
        var y = x * x * x;
        var g = SharpGrad.Autograd.Grad([y], [x]);
        Assert.Equal(27, g[0]!.Item(), 12);
        Assert.Null(x.Grad);
    }

    [Fact]
    public void AutogradGrad_OfANonScalarOutputWithoutGradOutputs_NamesAutogradGradAndTheOutput()
    {
        var x = Tensor.FromArray([1.0, 2.0], 2).WithRequiresGrad();
        var e = Assert.Throws<InvalidOperationException>(() => SharpGrad.Autograd.Grad([x.Sum(), x * x], [x]));
        Assert.Equal("Autograd.Grad without a gradOutputs entry needs one-element outputs, but output 1 has shape [2]. " +
            "Reduce it (for example with Sum() or Mean()) or pass the gradient with respect to it in gradOutputs.", e.Message);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(0)]
    public void AutogradGrad_WithAnotherNumberOfGradOutputsThanOutputs_IsRefused(int seeds)
    {
        // Two seeds for one output: the second was ignored silently (PyTorch wants one per output).
        var x = Leaf(3);
        var y = x * x;
        var e = Assert.Throws<ArgumentException>(() => SharpGrad.Autograd.Grad([y], [x], Enumerable.Repeat<Tensor?>(Tensor.Scalar(5, DType.Float64), seeds).ToArray()));
        Assert.StartsWith($"Autograd.Grad got {seeds} gradOutputs for 1 outputs; give one per output (null for a one-element output).", e.Message);
        Assert.Equal(30, SharpGrad.Autograd.Grad([y], [x], [Tensor.Scalar(5, DType.Float64)])[0]!.Item()); // 5 · 2x, one seed
    }

    [Fact]
    public void DoubleBackward_ThroughCreateGraph_GivesSecondDerivative()
    {
        // y = x⁴ − 2x² at x = 2: y' = 4x³ − 4x = 24, y'' = 12x² − 4 = 44.
        var x = Leaf(2);
        var y = x.Pow(4) - 2.0 * x.Pow(2);
        y.Backward(createGraph: true);
        var gx = x.Grad!;
        Assert.Equal(24, gx.Item(), 12);
        x.Grad = null;
        gx.Backward();
        Assert.Equal(44, x.Grad!.Item(), 12);
    }

    [Fact]
    public void IncompatibleShapes_ThrowNamingBothShapes()
    {
        var a = Tensor.Zeros(2, 3);
        var b = Tensor.Zeros(4);
        var ex = Assert.Throws<ArgumentException>(() => a + b);
        Assert.Contains("[2, 3]", ex.Message);
        Assert.Contains("[4]", ex.Message);
    }

    [Fact]
    public void MixedDTypes_ThrowClearError()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Zeros(2) + Tensor.Zeros(DType.Float64, 2));
        Assert.Contains("Float64", ex.Message);
    }

    [Fact]
    public void AssigningAGradientOfAnotherShapeOrDType_Throws_AndKeepsTheOldGradient()
    {
        // It was accepted: SGD then stepped w = [1, 2] with the 3-element [1, 1, 1] (to 0.9, 1.9, no error), Adam
        // updated only the first of three weights from a 1-element gradient, and the next Backward failed deep inside.
        var w = Tensor.FromArray(new double[] { 1, 2 }).WithRequiresGrad();
        var ok = Tensor.FromArray(new double[] { 1, -1 });
        w.Grad = ok;
        var wrongShape = Assert.Throws<ArgumentException>(() => w.Grad = Tensor.FromArray(new double[] { 1, 1, 1 }));
        Assert.Contains("shape [3] (Float64)", wrongShape.Message);
        Assert.Contains("shape [2] (Float64)", wrongShape.Message);
        Assert.Throws<ArgumentException>(() => w.Grad = Tensor.FromArray(new double[] { 1, 1 }, 2, 1));
        var wrongType = Assert.Throws<ArgumentException>(() => w.Grad = Tensor.FromArray(new float[] { 1, 1 }));
        Assert.Contains("Float32", wrongType.Message);
        Assert.Same(ok, w.Grad);

        new SharpGrad.Optim.Sgd([w], 0.1).Step();
        Assert.Equal([0.9, 2.1], w.ToDoubleArray()); // w − 0.1·[1, −1]
        w.Grad = null;
        Assert.Null(w.Grad);
    }
}
