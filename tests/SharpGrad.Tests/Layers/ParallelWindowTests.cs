using SharpGrad.Tests.Toolkit;

namespace SharpGrad.Tests.Layers;

/// <summary>
/// im2col, col2im and max pooling split their (channel, image) pairs or planes over the kernel worker threads once a
/// call holds 131,072 elements or more. These shapes are above that: on two threads the forward and backward results
/// must be the single-thread bits (which <see cref="ConvolutionTests"/> checks against direct loops and central
/// differences on smaller shapes), and the convolution is also checked against the direct loop itself.
/// </summary>
[Collection("KernelSettings")]
public sealed class ParallelWindowTests
{
    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void ConvolutionAndPooling_OnTwoThreads_GiveTheSingleThreadBits(DType dtype)
    {
        // x [6, 3, 40, 40]: a column matrix of 27 × 9,600 (259,200 elements); the second input has one channel, as the
        // CNN's first layer, and a 9 × 24,576 matrix (221,184). Both pools see [6, 16, 40, 40] (153,600 elements), the
        // second convolution's 2×2 pool [6, 8, 64, 64] (196,608): every kernel runs split over two threads.
        var (one, oneGrads) = Run(dtype, threads: 1);
        var (two, twoGrads) = Run(dtype, threads: 2);
        Assert.Equal(one.Length, two.Length);
        for (int i = 0; i < one.Length; i++)
            Assert.Equal(one[i], two[i]);
        for (int i = 0; i < oneGrads.Length; i++)
            Assert.Equal(oneGrads[i], twoGrads[i]);
    }

    [Fact]
    public void Convolution_OnTwoThreads_MatchesTheDirectLoop()
    {
        using var settings = new KernelSettingsScope(threads: 2, forcePortable: false);
        var x = Tensor.RandomUniform(new Generator(3), -1, 1, DType.Float64, 6, 3, 40, 40);
        var w = Tensor.RandomUniform(new Generator(4), -1, 1, DType.Float64, 5, 3, 3, 3);
        var b = Tensor.RandomUniform(new Generator(5), -1, 1, DType.Float64, 5);
        var y = Functional.Conv2d(x, w, b, (2, 1), (1, 2));
        var expected = ConvolutionTests.NaiveConv(x, w, b, (2, 1), (1, 2));
        Assert.Equal(new[] { expected.GetLength(0), expected.GetLength(1), expected.GetLength(2), expected.GetLength(3) }, y.ShapeArray());
        double[] actual = y.ToDoubleArray();
        int k = 0;
        foreach (double e in expected)
            Assert.Equal(e, actual[k++], 1e-12);
    }

    /// <summary>Two convolutions (3 and 1 input channels), the 2×2 and a padded 3×3 max pool, summed with weights; returns the outputs and the gradients.</summary>
    private static (double[] Outputs, double[][] Gradients) Run(DType dtype, int threads)
    {
        using var settings = new KernelSettingsScope(threads, forcePortable: false);
        var x = Tensor.RandomUniform(new Generator(1), -1, 1, dtype, 6, 3, 40, 40).WithRequiresGrad();
        var single = Tensor.RandomUniform(new Generator(2), -1, 1, dtype, 6, 1, 64, 64).WithRequiresGrad();
        var w = Tensor.RandomUniform(new Generator(3), -1, 1, dtype, 16, 3, 3, 3).WithRequiresGrad();
        var w1 = Tensor.RandomUniform(new Generator(4), -1, 1, dtype, 8, 1, 3, 3).WithRequiresGrad();
        var features = Functional.Conv2d(x, w, null, 1, 1);                                   // [6, 16, 40, 40]
        var pooled = Functional.MaxPool2d(features, (2, 2), (2, 2), (0, 0));                 // [6, 16, 20, 20]
        var padded = Functional.MaxPool2d(features, (3, 3), (2, 2), (1, 1));                 // [6, 16, 20, 20]
        var first = Functional.Conv2d(single, w1, null, 1, 1);                                // [6, 8, 64, 64]
        var firstPooled = Functional.MaxPool2d(first, (2, 2), (2, 2), (0, 0));                // [6, 8, 32, 32]
        var weights = Tensor.RandomUniform(new Generator(6), -1, 1, dtype, pooled.ShapeArray());
        var weights1 = Tensor.RandomUniform(new Generator(7), -1, 1, dtype, firstPooled.ShapeArray());
        var loss = (pooled * weights).Sum() + (padded * padded).Sum() + (firstPooled * weights1).Sum();
        loss.Backward();
        double[] outputs = [.. features.ToDoubleArray(), .. pooled.ToDoubleArray(), .. padded.ToDoubleArray(), .. first.ToDoubleArray(), .. firstPooled.ToDoubleArray()];
        return (outputs, [x.Grad!.ToDoubleArray(), single.Grad!.ToDoubleArray(), w.Grad!.ToDoubleArray(), w1.Grad!.ToDoubleArray()]);
    }
}
