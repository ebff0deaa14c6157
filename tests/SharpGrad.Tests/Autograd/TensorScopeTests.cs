using SharpGrad.Nn;
using SharpGrad.Optim;

namespace SharpGrad.Tests.Autograd;

public class TensorScopeTests
{
    [Fact]
    public void ApplesInsideAScope_GiveTheHandWorkedGradients_AndTheResultIsReleasedAfterwards()
    {
        var apple = Tensor.Scalar(100, DType.Float64, requiresGrad: true);
        var count = Tensor.Scalar(2, DType.Float64, requiresGrad: true);
        var tax = Tensor.Scalar(1.1, DType.Float64, requiresGrad: true);
        Tensor price;
        using (TensorScope.Begin())
        {
            price = apple * count * tax;
            price.Backward();
            Assert.Equal(220, price.Item(), 10);
        }
        Assert.Equal(2.2, apple.Grad!.Item(), 10);  // gradients of outside tensors survive the scope
        Assert.Equal(110, count.Grad!.Item(), 10);
        Assert.Equal(200, tax.Grad!.Item(), 10);
        Assert.True(price.IsReleased);
        var error = Assert.Throws<ObjectDisposedException>(() => price.Item());
        Assert.Contains("shape []", error.Message);
        Assert.Contains("TensorScope", error.Message);
        Assert.Contains("released", price.ToString());
    }

    [Fact]
    public void Keep_MovesATensorOutOfTheScope_WithItsValues()
    {
        Tensor kept, dropped;
        using (var scope = TensorScope.Begin())
        {
            var x = Tensor.FromArray([1f, 2f, 3f]);
            kept = scope.Keep(x * 2);
            dropped = x * 3;
        }
        Assert.Equal([2f, 4f, 6f], kept.ToFloatArray());
        Assert.True(dropped.IsReleased);
        Assert.False(kept.IsReleased);
    }

    [Fact]
    public void NestedScopes_KeepMovesToTheEnclosingScope_WhichThenReleasesIt()
    {
        Tensor inner;
        using (var outer = TensorScope.Begin())
        {
            using (var scope = TensorScope.Begin())
            {
                inner = scope.Keep(Tensor.FromArray([5f]) + Tensor.FromArray([1f]));
            }
            Assert.Equal(6f, (float)inner.Item());
            Assert.True(outer.IsActive);
        }
        Assert.True(inner.IsReleased);
    }

    [Fact]
    public void DisposingAnOuterScope_EndsTheInnerOnes_AndDisposingTwiceDoesNothing()
    {
        var outer = TensorScope.Begin();
        var inner = TensorScope.Begin();
        var t = Tensor.Zeros(3) + 1;
        outer.Dispose();
        Assert.False(inner.IsActive);
        Assert.True(t.IsReleased);
        inner.Dispose();
        outer.Dispose();
        // A new scope after the old ones ended works normally.
        using var again = TensorScope.Begin();
        Assert.Equal(2f, (float)(Tensor.Scalar(1) + 1).Item());
        Assert.Throws<InvalidOperationException>(() => inner.Keep(Tensor.Zeros(1)));
    }

    [Fact]
    public void StorageOfReleasedTensors_IsReusedByTheNextScope()
    {
        var x = Tensor.FromArray(Enumerable.Range(0, 1031).Select(i => (float)i).ToArray()); // an unusual length: no other test's buffers
        Array first, second;
        using (TensorScope.Begin())
        {
            var y = x * 2;
            first = y.Data;
        }
        using (TensorScope.Begin())
        {
            var y = x * 3;
            second = y.Data;
            Assert.Equal(3f * 1030, y.ToFloatArray()[1030]); // overwritten, not the old 2·x values
        }
        Assert.Same(first, second);
    }

    [Fact]
    public void ZerosFromARecycledBuffer_AreZero()
    {
        using (TensorScope.Begin()) _ = Tensor.Full(7, DType.Float32, 1033);
        using (TensorScope.Begin()) Assert.All(Tensor.Zeros(1033).ToFloatArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void AKeptView_ProtectsTheStorageItShares()
    {
        Tensor view;
        using (var scope = TensorScope.Begin())
        {
            var owner = Tensor.Full(4, DType.Float32, 1037);
            view = scope.Keep(owner.Detach());
        }
        using (TensorScope.Begin()) _ = Tensor.Full(9, DType.Float32, 1037); // would take the storage if it had been recycled
        Assert.All(view.ToFloatArray(), v => Assert.Equal(4f, v));
    }

    [Fact]
    public void TensorsFromOutsideTheScope_AreNotReleased()
    {
        var outside = Tensor.FromArray([1f, 2f]);
        using (TensorScope.Begin())
        {
            _ = outside.Reshape(2, 1); // a view made inside: released, but it does not own the storage
        }
        Assert.Equal([1f, 2f], outside.ToFloatArray());
    }

    [Fact]
    public void TrainingWithAScopePerStep_GivesBitIdenticalWeights_ToTrainingWithout()
    {
        static float[][] Train(bool scoped)
        {
            var g = new Generator(3);
            var model = new Sequential(new Linear(12, 8, g), new ReLU(), new Linear(8, 3, g));
            var optimizer = new Adam(model.Parameters(), 0.01);
            var x = Tensor.RandomUniform(g, -1, 1, DType.Float32, 16, 12);
            int[] labels = Enumerable.Range(0, 16).Select(i => i % 3).ToArray();
            for (int step = 0; step < 20; step++)
            {
                var scope = scoped ? TensorScope.Begin() : default;
                optimizer.ZeroGrad();
                var loss = Functional.SoftmaxCrossEntropy(model.Forward(x), labels);
                loss.Backward();
                optimizer.Step();
                scope.Dispose();
            }
            return model.Parameters().Select(p => p.ToFloatArray()).ToArray();
        }
        var plain = Train(scoped: false);
        var scoped = Train(scoped: true);
        for (int i = 0; i < plain.Length; i++)
            Assert.Equal(plain[i].Select(BitConverter.SingleToInt32Bits), scoped[i].Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void BackwardThroughAKeptTensor_WhoseGraphWasReleased_ThrowsNamingTheScope()
    {
        var w = Tensor.FromArray([2f]).WithRequiresGrad();
        Tensor loss;
        using (var scope = TensorScope.Begin())
        {
            var square = w * w;
            loss = scope.Keep((square * square).Sum()); // the product's backward needs the released square
        }
        var error = Assert.Throws<ObjectDisposedException>(() => loss.Backward());
        Assert.Contains("TensorScope", error.Message);
    }

    [Fact]
    public void BackwardFromAReleasedTensor_ThrowsObjectDisposed_NotARetainGraphHint()
    {
        var w = Tensor.FromArray([2f]).WithRequiresGrad();
        Tensor loss;
        using (TensorScope.Begin())
        {
            loss = (w * w).Sum();
            loss.Backward();
        }
        var error = Assert.Throws<ObjectDisposedException>(() => loss.Backward());
        Assert.Contains("TensorScope", error.Message);
    }
}
