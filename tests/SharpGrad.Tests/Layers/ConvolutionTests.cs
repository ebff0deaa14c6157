using SharpGrad.Kernels;
using SharpGrad.Nn;
using static SharpGrad.Tests.Toolkit.NumericalGradients;

namespace SharpGrad.Tests.Layers;

/// <summary>Conv2d and pooling against direct loops (a second algorithm) and central differences in float64.</summary>
public class ConvolutionTests
{
    private static Tensor Rand(int seed, params int[] shape) => Tensor.RandomUniform(new Generator((ulong)seed), -1, 1, DType.Float64, shape);

    /// <summary>The textbook convolution: six nested loops, zero outside the image.</summary>
    internal static double[,,,] NaiveConv(Tensor x, Tensor w, Tensor? b, (int H, int W) s, (int H, int W) p)
    {
        int n = x.Shape[0], c = x.Shape[1], h = x.Shape[2], wd = x.Shape[3], o = w.Shape[0], kh = w.Shape[2], kw = w.Shape[3];
        int oh = (h + 2 * p.H - kh) / s.H + 1, ow = (wd + 2 * p.W - kw) / s.W + 1;
        var y = new double[n, o, oh, ow];
        for (int b0 = 0; b0 < n; b0++)
            for (int f = 0; f < o; f++)
                for (int r = 0; r < oh; r++)
                    for (int q = 0; q < ow; q++)
                    {
                        double sum = b is null ? 0 : b[f];
                        for (int ch = 0; ch < c; ch++)
                            for (int i = 0; i < kh; i++)
                                for (int j = 0; j < kw; j++)
                                {
                                    int ih = r * s.H - p.H + i, iw = q * s.W - p.W + j;
                                    if (ih >= 0 && ih < h && iw >= 0 && iw < wd) sum += w[f, ch, i, j] * x[b0, ch, ih, iw];
                                }
                        y[b0, f, r, q] = sum;
                    }
        return y;
    }

    private static void AssertEqual(double[,,,] expected, Tensor actual, double tolerance)
    {
        Assert.Equal(new[] { expected.GetLength(0), expected.GetLength(1), expected.GetLength(2), expected.GetLength(3) }, actual.ShapeArray());
        for (int a = 0; a < expected.GetLength(0); a++)
            for (int b = 0; b < expected.GetLength(1); b++)
                for (int c = 0; c < expected.GetLength(2); c++)
                    for (int d = 0; d < expected.GetLength(3); d++)
                        Assert.True(Math.Abs(expected[a, b, c, d] - actual[a, b, c, d]) <= tolerance, $"at ({a}, {b}, {c}, {d}): expected {expected[a, b, c, d]}, got {actual[a, b, c, d]}");
    }

    public static TheoryData<int[], int[], int, int, int, int> ConvCases => new()
    {
        // input [N, C, H, W], weight [O, C, kh, kw], stride H, stride W, padding H, padding W
        { [2, 3, 7, 5], [4, 3, 3, 2], 2, 2, 1, 1 },
        { [1, 2, 6, 9], [3, 2, 2, 3], 2, 1, 1, 0 },
        { [3, 1, 5, 5], [2, 1, 5, 5], 1, 1, 2, 2 },
        { [1, 2, 4, 3], [1, 2, 1, 1], 1, 3, 0, 1 },
    };

    [Theory]
    [MemberData(nameof(ConvCases))]
    public void Conv2d_MatchesNaiveLoop(int[] xShape, int[] wShape, int sh, int sw, int ph, int pw)
    {
        var x = Rand(1, xShape);
        var w = Rand(2, wShape);
        var b = Rand(3, wShape[0]);
        var y = Functional.Conv2d(x, w, b, (sh, sw), (ph, pw));
        AssertEqual(NaiveConv(x, w, b, (sh, sw), (ph, pw)), y, 1e-12);
    }

    [Fact]
    public void Conv2d_Float32_MatchesNaiveLoop()
    {
        var x = Rand(4, 2, 3, 8, 6);
        var w = Rand(5, 5, 3, 3, 3);
        var y = Functional.Conv2d(x.To(DType.Float32), w.To(DType.Float32), null, 2, 1);
        Assert.Equal(DType.Float32, y.DType);
        AssertEqual(NaiveConv(x, w, null, (2, 2), (1, 1)), y, 1e-5);
    }

    [Theory]
    [MemberData(nameof(ConvCases))]
    public void Conv2d_GradientsMatchNumerical(int[] xShape, int[] wShape, int sh, int sw, int ph, int pw) =>
        Check(t => Functional.Conv2d(t[0], t[1], t[2], (sh, sw), (ph, pw)), Rand(6, xShape), Rand(7, wShape), Rand(8, wShape[0]));

    [Fact]
    public void Conv2d_SecondDerivativesMatchNumerical()
    {
        // g(x, W) = ∂/∂x Σ conv(x, W)², built with createGraph; its gradient is a second derivative of the convolution.
        Check(t =>
        {
            using var _ = GradMode.Set(true);
            var y = Functional.Conv2d(t[0], t[1], null, 2, 1);
            return SharpGrad.Autograd.Grad([y.Square().Sum()], [t[0]], createGraph: true)[0]!;
        }, Rand(9, 1, 2, 5, 4), Rand(10, 2, 2, 3, 3));
    }

    [Fact]
    public void Im2Col_AndCol2Im_AreAdjoint()
    {
        // ⟨unfold(x), c⟩ = ⟨x, fold(c)⟩ for every x and c: fold is the exact transpose of unfold.
        var g = new WindowGeometry(2, 3, 6, 5, 3, 2, 2, 1, 1, 1);
        var x = Rand(11, g.InputShape);
        var c = Rand(12, g.Rows, g.Columns);
        var cols = new double[g.Rows * g.Columns];
        Im2Col.Unfold<double>(x.ToDoubleArray(), g, 0.0, cols);
        var folded = new double[x.Length];
        Im2Col.Fold<double>(c.ToDoubleArray(), g, folded);
        double left = cols.Zip(c.ToDoubleArray(), (a, b) => a * b).Sum();
        double right = x.ToDoubleArray().Zip(folded, (a, b) => a * b).Sum();
        Assert.Equal(left, right, 1e-12);
    }

    /// <summary>Distinct values with gaps of at least 0.01, shuffled: no ties within 1e-4, so max pooling is differentiable there.</summary>
    private static Tensor Distinct(int seed, params int[] shape)
    {
        var g = new Generator((ulong)seed);
        int n = Shapes.Size(shape);
        var values = Enumerable.Range(0, n).Select(i => (i - n / 2.0) * 0.01).ToArray();
        for (int i = n - 1; i > 0; i--) { int j = g.NextInt(i + 1); (values[i], values[j]) = (values[j], values[i]); }
        return Tensor.FromArray(values, shape);
    }

    private static double[,,,] NaivePool(Tensor x, (int H, int W) k, (int H, int W) s, (int H, int W) p, bool max)
    {
        int n = x.Shape[0], c = x.Shape[1], h = x.Shape[2], w = x.Shape[3];
        int oh = (h + 2 * p.H - k.H) / s.H + 1, ow = (w + 2 * p.W - k.W) / s.W + 1;
        var y = new double[n, c, oh, ow];
        for (int a = 0; a < n; a++)
            for (int ch = 0; ch < c; ch++)
                for (int r = 0; r < oh; r++)
                    for (int q = 0; q < ow; q++)
                    {
                        double acc = max ? double.NegativeInfinity : 0;
                        for (int i = 0; i < k.H; i++)
                            for (int j = 0; j < k.W; j++)
                            {
                                int ih = r * s.H - p.H + i, iw = q * s.W - p.W + j;
                                bool inside = ih >= 0 && ih < h && iw >= 0 && iw < w;
                                if (max) { if (inside) acc = Math.Max(acc, x[a, ch, ih, iw]); }
                                else if (inside) acc += x[a, ch, ih, iw];
                            }
                        y[a, ch, r, q] = max ? acc : acc / (k.H * k.W);
                    }
        return y;
    }

    public static TheoryData<int[], int, int, int, int, int, int> PoolCases => new()
    {
        // input, kernel H, kernel W, stride H, stride W, padding H, padding W
        { [2, 3, 6, 6], 2, 2, 2, 2, 0, 0 },
        { [2, 2, 7, 5], 2, 2, 2, 2, 0, 0 }, // the 2×2 fast path with a last row and column in no window
        { [1, 2, 7, 5], 3, 2, 2, 1, 1, 1 },
        { [2, 1, 5, 6], 3, 3, 1, 2, 1, 0 },
    };

    [Theory]
    [MemberData(nameof(PoolCases))]
    public void MaxPool2d_MatchesNaiveLoop_AndNumericalGradient(int[] shape, int kh, int kw, int sh, int sw, int ph, int pw)
    {
        var x = Distinct(13, shape) - 1.0; // mostly negative, so a zero padding would win and −∞ padding is tested
        AssertEqual(NaivePool(x, (kh, kw), (sh, sw), (ph, pw), max: true), Functional.MaxPool2d(x, (kh, kw), (sh, sw), (ph, pw)), 0);
        Check(t => Functional.MaxPool2d(t[0], (kh, kw), (sh, sw), (ph, pw)), x);
    }

    [Theory]
    [MemberData(nameof(PoolCases))]
    public void AvgPool2d_MatchesNaiveLoop_AndNumericalGradient(int[] shape, int kh, int kw, int sh, int sw, int ph, int pw)
    {
        var x = Rand(14, shape);
        AssertEqual(NaivePool(x, (kh, kw), (sh, sw), (ph, pw), max: false), Functional.AvgPool2d(x, (kh, kw), (sh, sw), (ph, pw)), 1e-12);
        Check(t => Functional.AvgPool2d(t[0], (kh, kw), (sh, sw), (ph, pw)), x);
    }

    [Fact]
    public void MaxPool2d_Ties_SendTheGradientToTheFirstMaximum()
    {
        var x = Tensor.FromArray(new double[] { 5, 5, 1, 5 }, 1, 1, 2, 2).WithRequiresGrad();
        Functional.MaxPool2d(x, (2, 2), (2, 2), (0, 0)).Sum().Backward();
        Assert.Equal(new double[] { 1, 0, 0, 0 }, x.Grad!.ToDoubleArray());
    }

    [Fact]
    public void MaxPool2d_SecondDerivative_MatchesCentralDifferencesOfTheGradient()
    {
        // g(x) = ∂/∂x Σ maxpool(x)², recorded (createGraph), checked against differences of g: overlapping windows and padding.
        var x = Distinct(21, [2, 2, 5, 5]) - 1.0;
        Check(t =>
        {
            var y = Functional.MaxPool2d(t[0], (3, 3), (2, 2), (1, 1));
            return SharpGrad.Autograd.Grad([(y * y).Sum()], [t[0]], createGraph: true)[0]!;
        }, x);
    }

    [Fact]
    public void MaxPool2d_ANaNInAWindow_IsItsMaximum_AndReceivesTheGradient()
    {
        var x = Tensor.FromArray(new double[] { 1, double.NaN, 3, 2, 4, 0, 5, 6, 7 }, 1, 1, 3, 3).WithRequiresGrad();
        var y = Functional.MaxPool2d(x, (2, 2), (1, 1), (0, 0)); // windows: {1,NaN,2,4} {NaN,3,4,0} {2,4,5,6} {4,0,6,7}
        var values = y.ToDoubleArray();
        Assert.True(double.IsNaN(values[0]) && double.IsNaN(values[1]));
        Assert.Equal(new double[] { 6, 7 }, values[2..]);
        y.Sum().Backward();
        Assert.Equal(new double[] { 0, 2, 0, 0, 0, 0, 0, 1, 1 }, x.Grad!.ToDoubleArray());
    }

    [Fact]
    public void MaxPool2d_TwoByTwoStrideTwo_FastPath_PropagatesNaN_AndRoutesToTheFirstMaximum()
    {
        var x = Tensor.FromArray(new double[] { 1, 7, 3, 3, 7, 2, 3, double.NaN }, 1, 1, 2, 4).WithRequiresGrad();
        var y = Functional.MaxPool2d(x, (2, 2), (2, 2), (0, 0)); // windows {1,7,7,2} and {3,3,3,NaN}
        var values = y.ToDoubleArray();
        Assert.Equal(7, values[0]);
        Assert.True(double.IsNaN(values[1]));
        y.Sum().Backward();
        Assert.Equal(new double[] { 0, 1, 0, 0, 0, 0, 0, 1 }, x.Grad!.ToDoubleArray());
    }

    [Theory]
    [InlineData(DType.Float32, 8, 6)]
    [InlineData(DType.Float64, 8, 6)]
    [InlineData(DType.Float32, 28, 28)]
    [InlineData(DType.Float64, 14, 14)]
    [InlineData(DType.Float32, 7, 19)]
    [InlineData(DType.Float64, 5, 9)]
    public void MaxPool2d_TwoByTwoStrideTwo_Backward_MatchesANaiveScatter_WithManyTies(DType dtype, int height, int width)
    {
        // Values from {0, 1, 2, 3} make most windows tie; the first maximum in row-major order must get the gradient, and
        // the first NaN where a window holds one (one value in 40). Widths of 6 and 9 run the scalar loop only, 14, 19
        // and 28 the vector loop (4 windows a step in float, 2 in double) and a scalar tail. Three steps in scopes hand
        // the gradient recycled, dirty buffers: an element the kernel failed to write would show.
        int[] shape = [3, 4, height, width];
        var random = new Random(5);
        for (int step = 0; step < 3; step++)
        {
            using var scope = TensorScope.Begin();
            double[] values = Enumerable.Range(0, 3 * 4 * height * width).Select(_ => random.Next(40) == 0 ? double.NaN : random.Next(4)).ToArray();
            var x = Tensor.FromArray(values, shape).To(dtype).WithRequiresGrad();
            var y = Functional.MaxPool2d(x, (2, 2), (2, 2), (0, 0));
            double[] upstream = Enumerable.Range(0, y.Length).Select(_ => random.NextDouble() - 0.5).ToArray();
            y.Backward(Tensor.FromArray(upstream, y.ShapeArray()).To(dtype));

            var expected = new double[values.Length];
            int outH = height / 2, outW = width / 2;
            for (int plane = 0; plane < 3 * 4; plane++)
            {
                for (int r = 0; r < outH; r++)
                {
                    for (int c = 0; c < outW; c++)
                    {
                        int best = -1;
                        foreach ((int i, int j) in new[] { (0, 0), (0, 1), (1, 0), (1, 1) })
                        {
                            int at = (plane * height * width) + ((2 * r + i) * width) + (2 * c + j);
                            bool better = double.IsNaN(values[at]) ? best < 0 || !double.IsNaN(values[best]) : best < 0 || (!double.IsNaN(values[best]) && values[at] > values[best]);
                            if (better) best = at;
                        }

                        expected[best] += dtype == DType.Float32 ? (float)upstream[(plane * outH * outW) + (r * outW) + c] : upstream[(plane * outH * outW) + (r * outW) + c];
                    }
                }
            }

            Assert.Equal(expected, x.Grad!.ToDoubleArray());
        }
    }

    [Fact]
    public void Conv2d_RejectsMismatchedShapes()
    {
        var e = Assert.Throws<ArgumentException>(() => Functional.Conv2d(Tensor.Zeros(1, 3, 5, 5), Tensor.Zeros(2, 2, 3, 3)));
        Assert.Contains("same C", e.Message);
        e = Assert.Throws<ArgumentException>(() => Functional.Conv2d(Tensor.Zeros(1, 1, 2, 2), Tensor.Zeros(1, 1, 3, 3)));
        Assert.Contains("does not fit", e.Message);
        Assert.Throws<ArgumentException>(() => Functional.MaxPool2d(Tensor.Zeros(1, 1, 4, 4), (2, 2), (2, 2), (2, 2)));
    }

    [Theory]
    [InlineData(2, 2, 2, 2, 2, 2, "(2×2, stride 2×2, padding 2×2)")] // padding 2 > ⌊2/2⌋ = 1
    [InlineData(3, 1, 1, 1, 2, 0, "(3×1, stride 1×1, padding 2×0)")] // padding 2 > ⌊3/2⌋ = 1
    [InlineData(1, 1, 1, 1, 0, 1, "(1×1, stride 1×1, padding 0×1)")] // padding 1 > ⌊1/2⌋ = 0
    [InlineData(-1, 2, 1, 1, 0, 0, "(-1×2, stride 1×1, padding 0×0)")] // a kernel below 1, even with no padding
    [InlineData(2, 2, 0, 1, 0, 0, "(2×2, stride 0×1, padding 0×0)")]
    [InlineData(2, 2, 1, 1, -1, 0, "(2×2, stride 1×1, padding -1×0)")]
    [InlineData(2, 2, 1, 1, int.MaxValue, 0, "(2×2, stride 1×1, padding 2147483647×0)")] // 2·padding would overflow
    public void Pooling_FunctionsAndLayers_RefuseTheSameSettings_WithOneMessage(int kh, int kw, int sh, int sw, int ph, int pw, string settings)
    {
        const string Rule = ": kernel and stride must be at least 1, and padding between 0 and half the kernel.";
        var x = Tensor.Zeros(1, 1, 6, 6);
        Assert.Equal($"maxPool2d{settings}{Rule}", Assert.Throws<ArgumentException>(() => Functional.MaxPool2d(x, (kh, kw), (sh, sw), (ph, pw))).Message);
        Assert.Equal($"avgPool2d{settings}{Rule}", Assert.Throws<ArgumentException>(() => Functional.AvgPool2d(x, (kh, kw), (sh, sw), (ph, pw))).Message);
        Assert.Equal($"MaxPool2d{settings}{Rule}", Assert.Throws<ArgumentException>(() => new MaxPool2d((kh, kw), (sh, sw), (ph, pw))).Message);
        Assert.Equal($"AvgPool2d{settings}{Rule}", Assert.Throws<ArgumentException>(() => new AvgPool2d((kh, kw), (sh, sw), (ph, pw))).Message);
    }

    [Fact]
    public void Pooling_AcceptsPaddingOfHalfTheKernel_AndSaysSoWhenTheWindowDoesNotFit()
    {
        // 3×3 kernel, padding 1 = ⌊3/2⌋ on a 1×1 input: one window, its centre the input, so both pools give x (avg: x/9).
        var x = Tensor.FromArray(new double[] { 4.5 }, 1, 1, 1, 1);
        Assert.Equal([4.5], Functional.MaxPool2d(x, (3, 3), (1, 1), (1, 1)).ToDoubleArray());
        Assert.Equal([0.5], Functional.AvgPool2d(x, (3, 3), (1, 1), (1, 1)).ToDoubleArray());
        Assert.Equal("maxPool2d: the 3×3 kernel does not fit the input 1×1 with padding 0×0.",
            Assert.Throws<ArgumentException>(() => Functional.MaxPool2d(x, (3, 3), (1, 1), (0, 0))).Message);
    }
}
