namespace SharpGrad.Tests.Ops;

/// <summary>Hand-worked values for operations whose behaviour is specified exactly.</summary>
public class GoldenValueTests
{
    [Fact]
    public void MatMul_MatrixTimesVector_GivesNumPyResultAndGradients()
    {
        var a = Tensor.FromArray(new double[,] { { 1, 2, 3 }, { 4, 5, 6 } }).WithRequiresGrad();
        var b = Tensor.FromArray(new double[] { 1, 0, -1 }).WithRequiresGrad();
        var y = a.MatMul(b);
        Assert.Equal(new[] { 2 }, y.ShapeArray());
        var l = y.Sum();
        Assert.Equal(-4, l.Item());
        l.Backward();
        Assert.Equal(new double[] { 1, 0, -1, 1, 0, -1 }, a.Grad!.ToDoubleArray());
        Assert.Equal(new double[] { 5, 7, 9 }, b.Grad!.ToDoubleArray());
    }

    [Fact]
    public void SoftmaxCrossEntropy_HugeEqualLogits_GivesLn2()
    {
        var x = Tensor.FromArray(new double[] { 1e8, 1e8 }, 1, 2).WithRequiresGrad();
        var loss = Functional.SoftmaxCrossEntropy(x, [1]);
        Assert.Equal(0.6931471805599453, loss.Item(), 15);
        loss.Backward();
        Assert.Equal(new double[] { 0.5, -0.5 }, x.Grad!.ToDoubleArray());
    }

    [Fact]
    public void SoftmaxCrossEntropy_LargeGap_IsFinite()
    {
        var loss = Functional.SoftmaxCrossEntropy(Tensor.FromArray(new double[] { 1000, 0 }, 1, 2), [1]);
        Assert.Equal(1000, loss.Item(), 10);
        var loss32 = Functional.SoftmaxCrossEntropy(Tensor.FromArray(new float[] { 1000, 0 }, 1, 2), [1]);
        Assert.Equal(1000, loss32.Item(), 3);
    }

    [Fact]
    public void SoftmaxCrossEntropy_Batch_GivesMeanLossAndNoNaN()
    {
        var x = Tensor.FromArray(new double[,] { { 1000, 0 }, { 0, 1 } }).WithRequiresGrad();
        var loss = Functional.SoftmaxCrossEntropy(x, [0, 1]);
        // Row 1: loss ≈ 0 (e^-1000 underflows); row 2: ln(1 + e^-1) = 0.3132617; the mean is 0.1566308.
        Assert.Equal(Math.Log(1 + Math.Exp(-1)) / 2, loss.Item(), 12);
        Assert.Equal(0.1566308, loss.Item(), 6);
        loss.Backward();
        Assert.DoesNotContain(x.Grad!.ToDoubleArray(), double.IsNaN);
    }

    [Fact]
    public void SoftmaxCrossEntropy_BadInput_GivesClearErrors()
    {
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => Functional.SoftmaxCrossEntropy(Tensor.Zeros(0, 3), [])).Message);
        Assert.Contains("label 3", Assert.Throws<ArgumentException>(() => Functional.SoftmaxCrossEntropy(Tensor.Zeros(1, 3), [3])).Message);
        Assert.Contains("2 labels", Assert.Throws<ArgumentException>(() => Functional.SoftmaxCrossEntropy(Tensor.Zeros(1, 3), [0, 1])).Message);
    }

    [Fact]
    public void Relu_PassesNaN_AndHasZeroDerivativeAtZero()
    {
        var x = Tensor.FromArray(new double[] { double.NaN, 0, -1, 2 }).WithRequiresGrad();
        var y = x.Relu();
        var v = y.ToDoubleArray();
        Assert.True(double.IsNaN(v[0]));
        Assert.Equal(new double[] { 0, 0, 2 }, v[1..]);
        y.Sum().Backward();
        Assert.Equal(new double[] { 0, 0, 1 }, x.Grad!.ToDoubleArray()[1..]);
    }

    [Fact]
    public void Pow_AtKinks_IsDefined()
    {
        var zero = Tensor.Scalar(0, DType.Float64, requiresGrad: true);
        zero.Pow(0).Backward();
        Assert.Equal(0, zero.Grad!.Item());
        var z2 = Tensor.Scalar(0, DType.Float64, requiresGrad: true);
        z2.Pow(2).Backward();
        Assert.Equal(0, z2.Grad!.Item());
        var m2 = Tensor.Scalar(-2, DType.Float64, requiresGrad: true);
        m2.Pow(2).Backward();
        Assert.Equal(-4, m2.Grad!.Item());
    }

    [Fact]
    public void Max_WithTies_SendsWholeGradientToFirstMaximum()
    {
        var x = Tensor.FromArray(new double[,] { { 1, 3, 3 }, { 5, 2, 5 } }).WithRequiresGrad();
        var m = x.Max(1);
        Assert.Equal(new double[] { 3, 5 }, m.ToDoubleArray());
        m.Sum().Backward();
        Assert.Equal(new double[] { 0, 1, 0, 1, 0, 0 }, x.Grad!.ToDoubleArray());
    }

    [Fact]
    public void Clone_HasItsOwnStorage_AndPassesTheGradientThrough()
    {
        var x = Tensor.FromArray(new double[] { 1, 2 }).WithRequiresGrad();
        var c = x.Clone();
        Assert.Equal("copy", c.Creator!.Symbol);
        (c * 3.0).Sum().Backward();
        Assert.Equal(new double[] { 3, 3 }, x.Grad!.ToDoubleArray());
        x.Grad = null;
        x[0] = 5; // the clone keeps the old value
        Assert.Equal(1, c[0]);
    }

    [Fact]
    public void Max_AlongLeadingAxis_HandlesTiesAndNaN()
    {
        // Columns: a tie (3, 3), a NaN after a number, a plain maximum at the end.
        var x = Tensor.FromArray(new double[,] { { 3, 1, 0 }, { 3, double.NaN, 2 }, { 1, 5, 7 } }).WithRequiresGrad();
        var m = x.Max(0);
        var v = m.ToDoubleArray();
        Assert.Equal(3, v[0]);
        Assert.True(double.IsNaN(v[1]));
        Assert.Equal(7, v[2]);
        m.Sum().Backward();
        Assert.Equal(new double[] { 1, 0, 0, 0, 1, 0, 0, 0, 1 }, x.Grad!.ToDoubleArray());
    }

    [Fact]
    public void Softmax_RowsSumToOne_AndMatchDirectFormula()
    {
        var x = Tensor.FromArray(new double[,] { { 1, 2, 3 }, { -1, 0, 1000 } });
        var y = x.Softmax();
        double z = Math.Exp(1) + Math.Exp(2) + Math.Exp(3);
        Assert.Equal(Math.Exp(1) / z, y[0, 0], 14);
        Assert.Equal(Math.Exp(3) / z, y[0, 2], 14);
        Assert.Equal(1, y[1, 2], 14);
        var ls = x.LogSoftmax();
        Assert.Equal(1 - Math.Log(z), ls[0, 0], 13);
        Assert.Equal(-1001, ls[1, 0], 10);
    }

    [Fact]
    public void SoftmaxAndSigmoid_PropagateNaN()
    {
        var x = Tensor.FromArray(new double[] { 1, double.NaN, 2 });
        Assert.All(x.Softmax().ToDoubleArray(), v => Assert.True(double.IsNaN(v)));
        Assert.True(double.IsNaN(x.Sigmoid()[1]));
    }

    [Fact]
    public void Float32_MatchesFloat64_Forward()
    {
        var g = new Generator(3);
        var a64 = Tensor.RandomNormal(g, 0, 1, DType.Float64, 17, 33);
        var b64 = Tensor.RandomNormal(g, 0, 1, DType.Float64, 33, 9);
        var c64 = (a64.MatMul(b64).Sigmoid() + 1.0).Log().Softmax().ToDoubleArray();
        var c32 = (a64.To(DType.Float32).MatMul(b64.To(DType.Float32)).Sigmoid() + 1.0).Log().Softmax().ToDoubleArray();
        for (int i = 0; i < c64.Length; i++) Assert.Equal(c64[i], c32[i], 5);
    }

    [Fact]
    public void Reshape_WithWrongCount_NamesBothShapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 3).Reshape(4, 2));
        Assert.Contains("[2, 3]", ex.Message);
        Assert.Contains("[4, 2]", ex.Message);
    }

    [Fact]
    public void MatMul_Misaligned_NamesBothShapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 3).MatMul(Tensor.Zeros(4, 5)));
        Assert.Contains("[2, 3]", ex.Message);
        Assert.Contains("[4, 5]", ex.Message);
    }

    [Theory]
    [InlineData(new[] { 3 }, new[] { 4, 5 }, "matmul: shapes [3] and [4, 5] are not aligned: inner dimensions 3 and 4 differ.")]
    [InlineData(new[] { 4, 5 }, new[] { 3 }, "matmul: shapes [4, 5] and [3] are not aligned: inner dimensions 5 and 3 differ.")]
    [InlineData(new[] { 2, 4, 5 }, new[] { 3 }, "matmul: shapes [2, 4, 5] and [3] are not aligned: inner dimensions 5 and 3 differ.")]
    [InlineData(new[] { 2, 3, 4 }, new[] { 3, 4, 5 }, "matmul: shapes [2, 3, 4] and [3, 4, 5] have batch dimensions [2] and [3], which cannot be broadcast together.")]
    public void MatMul_Mismatch_NamesTheShapesAsGiven(int[] left, int[] right, string message)
    {
        // A vector operand was named after its internal reshape ([1, 3], [3, 1]) and a batch mismatch by the batch
        // dimensions alone ("shapes [2] and [3]").
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Zeros(left).MatMul(Tensor.Zeros(right)));
        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public void MatMul_BatchesThatBroadcast_StillMultiply()
    {
        // [2, 1, 2, 3] · [3, 3, 2]: batch [2, 1] with [3] broadcasts to [2, 3]; every product of ones is 3.
        var c = Tensor.Ones(2, 1, 2, 3).MatMul(Tensor.Ones(3, 3, 2));
        Assert.Equal([2, 3, 2, 2], c.ShapeArray());
        Assert.All(c.ToDoubleArray(), v => Assert.Equal(3.0, v));
    }

    [Theory]
    [InlineData(new[] { 4_000_000 }, new int[0])]        // all of it (Sum gave 399,039.4 for 400,000)
    [InlineData(new[] { 1_000_000, 2 }, new[] { 0 })]     // along the outer axis, one running sum per column (100,958.3 for 100,000)
    [InlineData(new[] { 2, 4_000_000 }, new[] { 1 })]     // along the inner axis
    public void Sum_OfMillionsOfFloat32Values_IsAccurate(int[] shape, int[] axes)
    {
        // Every term is 0.1f = 0.100000001490116…, so each sum is exactly count · 0.1f (computed here in double).
        var x = Tensor.Full(0.1, DType.Float32, shape);
        var sums = (axes.Length == 0 ? x.Sum() : x.Sum(axes)).ToDoubleArray();
        double count = (double)x.Length / sums.Length, exact = count * (double)0.1f;
        Assert.All(sums, s => Assert.InRange(Math.Abs(s - exact) / exact, 0, 1e-6));
        Assert.InRange(Math.Abs(x.Mean().Item() - 0.1f) / 0.1f, 0, 1e-6);
    }

    [Fact]
    public void Sum_OfShortFloat32Rows_KeepsItsFloat32Order()
    {
        // Below the long-sum threshold the result is System.Numerics.Tensors' vectorised float32 sum, bit for bit
        // (training results depend on it): 99.99994 for 1000 × 0.1f, not the double sum's 100.0000015.
        var values = Enumerable.Repeat(0.1f, 1000).ToArray();
        Assert.Equal(System.Numerics.Tensors.TensorPrimitives.Sum<float>(values), (float)Tensor.FromArray(values).Sum().Item());
        Assert.NotEqual(1000 * (double)0.1f, Tensor.FromArray(values).Sum().Item(), 6);
    }

    [Fact]
    public void ToString_ShowsShapeAndAbbreviatedValues()
    {
        Assert.Equal("Tensor(shape=[2, 2]) [[1, 2], [3, 4]]", Tensor.FromArray(new float[] { 1, 2, 3, 4 }, 2, 2).ToString());
        var s = Tensor.Arange(10).ToString();
        Assert.Equal("Tensor(shape=[10]) [0, 1, 2, ..., 7, 8, 9]", s);
    }

    [Theory]
    [InlineData(0.0, -1.0, "RandomNormal: the standard deviation must be a finite number ≥ 0, not -1.")]
    [InlineData(0.0, double.NaN, "RandomNormal: the standard deviation must be a finite number ≥ 0, not NaN.")]
    [InlineData(double.PositiveInfinity, 1.0, "RandomNormal: the mean must be a finite number, not Infinity.")]
    public void RandomNormal_WithANegativeOrNonFiniteSetting_IsRefused(double mean, double std, string message)
    {
        // It used to return samples silently (std −1 flips their sign, NaN makes them all NaN); PyTorch refuses std < 0.
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.RandomNormal(new Generator(1), mean, std, DType.Float64, 3));
        Assert.StartsWith(message, e.Message);
    }

    [Theory]
    [InlineData(1.0, 0.0)]
    [InlineData(0.0, double.NaN)]
    [InlineData(double.NegativeInfinity, 0.0)]
    public void RandomUniform_WithLowAboveHighOrANonFiniteBound_IsRefused(double low, double high)
    {
        // [1, 0) used to give values in (0, 1]; PyTorch's uniform_ refuses from > to.
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.RandomUniform(new Generator(1), low, high, DType.Float64, 3));
        Assert.StartsWith("RandomUniform: the range [", e.Message);
    }

    [Fact]
    public void RandomUniform_OfAnEmptyRange_GivesItsBound()
    {
        Assert.Equal([2.0, 2.0], Tensor.RandomUniform(new Generator(1), 2, 2, DType.Float64, 2).ToDoubleArray());
    }

    [Fact]
    public void Generator_IsDeterministic_AndNormalHasUnitMoments()
    {
        var a = Tensor.RandomNormal(new Generator(42), 0, 1, DType.Float64, 20000);
        var b = Tensor.RandomNormal(new Generator(42), 0, 1, DType.Float64, 20000);
        Assert.Equal(a.ToDoubleArray(), b.ToDoubleArray());
        Assert.InRange(a.Mean().Item(), -0.03, 0.03);
        Assert.InRange(a.Square().Mean().Item(), 0.96, 1.04);
    }
}
