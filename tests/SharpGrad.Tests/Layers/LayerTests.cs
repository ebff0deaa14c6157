using SharpGrad.Cli.Train;
using SharpGrad.Nn;
using SharpGrad.Tests.Cli;
using static SharpGrad.Tests.Toolkit.NumericalGradients;

namespace SharpGrad.Tests.Layers;

/// <summary>Dropout, batch normalisation and the layer modules: hand-worked values, statistics and float64 gradient checks.</summary>
public class LayerTests
{
    private static Tensor Rand(int seed, params int[] shape) => Tensor.RandomUniform(new Generator((ulong)seed), -1, 1, DType.Float64, shape);

    [Fact]
    public void Dropout_ScalesKeptElements_AndDropsAboutP()
    {
        var x = Tensor.Ones(DType.Float64, 100, 100);
        var y = new Dropout(0.3, new Generator(1)).Forward(x).ToDoubleArray();
        Assert.All(y, v => Assert.True(v == 0 || Math.Abs(v - 1 / 0.7) < 1e-15, $"{v}"));
        double dropped = y.Count(v => v == 0) / (double)y.Length;
        Assert.InRange(dropped, 0.28, 0.32); // 10,000 Bernoulli(0.3): standard deviation 0.0046
    }

    [Fact]
    public void Dropout_IsIdentityInEval_AndRepeatsWithTheSameSeed()
    {
        var x = Rand(2, 4, 5);
        var layer = new Dropout(0.5, new Generator(3));
        layer.Eval();
        Assert.Same(x, layer.Forward(x));
        var a = new Dropout(0.5, new Generator(9)).Forward(x).ToDoubleArray();
        var b = new Dropout(0.5, new Generator(9)).Forward(x).ToDoubleArray();
        Assert.Equal(a, b);
    }

    [Fact]
    public void Dropout_WithPOne_GivesExactZeros_AndZeroGradients_InTraining_AndTheIdentityInEval()
    {
        // p = 1 drops every element: y = x · 0 = 0 and ∂(Σ w·y)/∂x = w · 0 = 0, with no 1/(1 − p) = 1/0 anywhere.
        foreach (var dtype in new[] { DType.Float32, DType.Float64 })
        {
            var x = Tensor.FromArray(new double[,] { { 1.5, -2 }, { 0, 1e30 } }).To(dtype).WithRequiresGrad();
            var weights = Tensor.FromArray(new double[,] { { 3, -1 }, { 7, 0.5 } }).To(dtype);
            var layer = new Dropout(1, new Generator(1));
            var y = layer.Forward(x);
            Assert.Equal(new double[] { 0, 0, 0, 0 }, y.ToDoubleArray());
            (y * weights).Sum().Backward();
            Assert.Equal(new double[] { 0, 0, 0, 0 }, x.Grad!.ToDoubleArray());

            Assert.Equal(new double[] { 0, 0, 0, 0 }, Functional.Dropout(x, 1, training: true, new Generator(2)).ToDoubleArray());
            layer.Eval();
            Assert.Same(x, layer.Forward(x));
            Assert.Same(x, Functional.Dropout(x, 1, training: false, new Generator(3)));
        }
    }

    [Fact]
    public void Dropout_GradientMatchesNumerical() =>
        Check(t => Functional.Dropout(t[0], 0.4, training: true, new Generator(5)), Rand(4, 3, 6));

    [Fact]
    public void BatchNorm1d_HandWorkedValues_AndRunningStatistics()
    {
        // One channel, batch [1, 3]: μ = 2, biased σ² = 1, y = (x − 2)/√(1 + 1e-5) = ∓0.999995000037.
        // Running: mean 0.9·0 + 0.1·2 = 0.2; variance 0.9·1 + 0.1·2 (unbiased: 1·2/1) = 1.1.
        var bn = new BatchNorm1d(1, dtype: DType.Float64);
        var y = bn.Forward(Tensor.FromArray(new double[,] { { 1 }, { 3 } }));
        Assert.Equal(-0.999995000037, y[0, 0], 1e-12);
        Assert.Equal(0.999995000037, y[1, 0], 1e-12);
        Assert.Equal(0.2, bn.RunningMean[0], 1e-15);
        Assert.Equal(1.1, bn.RunningVar[0], 1e-15);
        // Eval: (x − 0.2)/√(1.1 + 1e-5); for x = 1.3 that is 1.1/1.0488135... = 1.048808848.
        bn.Eval();
        Assert.Equal(1.1 / Math.Sqrt(1.1 + 1e-5), bn.Forward(Tensor.FromArray(new double[,] { { 1.3 } }))[0, 0], 1e-12);
        Assert.Equal(new[] { "running_mean", "running_var" }, bn.NamedBuffers().Select(b => b.Name));
        Assert.Equal(new[] { "weight", "bias" }, bn.NamedParameters().Select(p => p.Name));
    }

    [Fact]
    public void BatchNorm2d_NormalisesEachChannelOverBatchAndSpace()
    {
        var x = Rand(6, 3, 2, 4, 5) * 3.0 + 1.0;
        var bn = new BatchNorm2d(2, dtype: DType.Float64);
        bn.Weight![1] = 2.0;
        bn.Bias![1] = -0.5;
        var y = bn.Forward(x);
        for (int c = 0; c < 2; c++)
        {
            var values = new List<double>();
            for (int n = 0; n < 3; n++) for (int h = 0; h < 4; h++) for (int w = 0; w < 5; w++) values.Add(x[n, c, h, w]);
            double mean = values.Average(), variance = values.Select(v => (v - mean) * (v - mean)).Average();
            double gamma = c == 1 ? 2 : 1, beta = c == 1 ? -0.5 : 0;
            for (int n = 0; n < 3; n++) for (int h = 0; h < 4; h++) for (int w = 0; w < 5; w++)
                Assert.Equal((x[n, c, h, w] - mean) / Math.Sqrt(variance + 1e-5) * gamma + beta, y[n, c, h, w], 1e-12);
            Assert.Equal(0.1 * mean, bn.RunningMean[c], 1e-12);
            Assert.Equal(0.9 + 0.1 * variance * 60 / 59, bn.RunningVar[c], 1e-12);
        }
    }

    [Fact]
    public void BatchNorm_TrainingGradientsMatchNumerical()
    {
        Check(t => Functional.BatchNorm(t[0], Tensor.Zeros(DType.Float64, 3), Tensor.Ones(DType.Float64, 3), t[1], t[2], training: true),
            Rand(7, 4, 3), Rand(8, 3) + 1.5, Rand(9, 3));
        Check(t => Functional.BatchNorm(t[0], Tensor.Zeros(DType.Float64, 2), Tensor.Ones(DType.Float64, 2), t[1], t[2], training: true),
            Rand(10, 2, 2, 3, 3), Rand(11, 2) + 1.5, Rand(12, 2));
    }

    [Fact]
    public void BatchNorm_EvalGradientsMatchNumerical() =>
        Check(t => Functional.BatchNorm(t[0], Tensor.FromArray(new double[] { 0.3, -0.2 }), Tensor.FromArray(new double[] { 1.5, 0.7 }), t[1], t[2], training: false),
            Rand(13, 2, 2, 3, 2), Rand(14, 2) + 1.5, Rand(15, 2));

    [Fact]
    public void BatchNorm_RejectsOneValuePerChannelInTraining()
    {
        var e = Assert.Throws<ArgumentException>(() => new BatchNorm1d(3).Forward(Tensor.Zeros(1, 3)));
        Assert.Contains("more than one value per channel", e.Message);
    }

    [Fact]
    public void Conv2dModule_GradientsMatchNumerical_ThroughParameters()
    {
        var conv = new Conv2d(2, 3, (3, 2), new Generator(1), stride: (2, 1), padding: (1, 1), dtype: DType.Float64);
        Assert.Equal(new[] { "weight", "bias" }, conv.NamedParameters().Select(p => p.Name));
        Assert.Equal(new[] { 3, 2, 3, 2 }, conv.Weight.ShapeArray());
        var x = Rand(16, 2, 2, 5, 4);
        var y = conv.Forward(x);
        Assert.Equal(new[] { 2, 3, 3, 5 }, y.ShapeArray()); // OH = ⌊(5 + 2 − 3)/2⌋ + 1 = 3, OW = (4 + 2 − 2)/1 + 1 = 5
        Check(t => Functional.Conv2d(t[0], t[1], t[2], conv.Stride, conv.Padding), x, conv.Weight, conv.Bias!);
    }

    [Fact]
    public void SmallCnn_GradientsMatchNumerical()
    {
        // conv → batch norm → relu → max pool → flatten → linear, all in float64, checked end to end in the parameters.
        var g = new Generator(3);
        var conv = new Conv2d(1, 2, 3, g, padding: 1, dtype: DType.Float64);
        var linear = new Linear(2 * 2 * 2, 3, g, dtype: DType.Float64);
        var x = Rand(17, 2, 1, 4, 4);
        Check(t =>
        {
            var h = Functional.Conv2d(t[0], t[1], t[2], 1, 1);
            h = Functional.BatchNorm(h, Tensor.Zeros(DType.Float64, 2), Tensor.Ones(DType.Float64, 2), null, null, training: true).Relu();
            h = Functional.MaxPool2d(h, (2, 2), (2, 2), (0, 0)).Reshape(2, -1);
            return h.MatMul(t[3].Transpose());
        }, x, conv.Weight, conv.Bias!, linear.Weight);
    }

    [Theory]
    [InlineData(1.5, "The dropout probability must be in [0, 1], not 1.5.")]
    [InlineData(1.0000000000000002, "The dropout probability must be in [0, 1], not 1.0000000000000002.")]
    [InlineData(-0.1, "The dropout probability must be in [0, 1], not -0.1.")]
    [InlineData(double.NaN, "The dropout probability must be in [0, 1], not NaN.")]
    [InlineData(double.PositiveInfinity, "The dropout probability must be in [0, 1], not Infinity.")]
    public void Dropout_TheFunction_AndModels_RejectProbabilitiesOutsideZeroToOne_WithOneMessage(double p, string expected)
    {
        Assert.Equal($"{expected} (Parameter 'p')", Assert.Throws<ArgumentOutOfRangeException>(() => new Dropout(p, new Generator(1))).Message);
        Assert.Equal($"{expected} (Parameter 'p')",
            Assert.Throws<ArgumentOutOfRangeException>(() => Functional.Dropout(Tensor.Ones(DType.Float64, 2), p, training: false, new Generator(1))).Message);
        Assert.Equal($"{expected} (Parameter 'dropout')",
            Assert.Throws<ArgumentOutOfRangeException>(() => Models.Mlp([10], false, p, new Generator(1))).Message);
        Assert.Equal($"{expected} (Parameter 'dropout')",
            Assert.Throws<ArgumentOutOfRangeException>(() => Models.Mlp([], false, p, new Generator(1))).Message); // no hidden layer: still checked
        Assert.Equal($"{expected} (Parameter 'dropout')",
            Assert.Throws<ArgumentOutOfRangeException>(() => Models.Cnn(new Generator(1), dropout: p)).Message);
    }

    [Fact]
    public void Dropout_AcceptsZero_JustBelowOne_AndOne_AsTorch()
    {
        Assert.Equal(0, new Dropout(0, new Generator(1)).P);
        Assert.Equal(0.999, new Dropout(0.999, new Generator(1)).P);
        Assert.Equal(1, new Dropout(1, new Generator(1)).P);
        var children = Models.Mlp([10], false, 0.999, new Generator(1)).Children; // Flatten, Linear, ReLU, Dropout, Linear
        Assert.Equal(0.999, Assert.IsType<Dropout>(children[3].Module).P);
        Assert.Equal(1, Assert.IsType<Dropout>(Models.Mlp([10], false, 1, new Generator(1)).Children[3].Module).P);
    }

    [Fact]
    public void Dropout_PassesOne_ButTrainStillRefusesDropoutOne_WithItsOwnMessage()
    {
        // Training with every activation dropped is never wanted: the CLI keeps its own [0, 1) rule for --dropout.
        CliRun.AssertTrainRefused(new TrainOptions { Dropout = 1 }, "sharpgrad train: --dropout must be in [0, 1), not 1.");
    }
}
