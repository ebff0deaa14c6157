using SharpGrad.Nn;
using SharpGrad.Optim;

namespace SharpGrad.Tests.Nn;

public class NnTests
{
    [Fact]
    public void Linear_ComputesXWTransposePlusB()
    {
        var layer = new Linear(3, 2, new Generator(1), dtype: DType.Float64);
        var x = Tensor.FromArray(new double[,] { { 1, 2, 3 }, { -1, 0, 1 } });
        var y = layer.Forward(x);
        for (int n = 0; n < 2; n++)
            for (int o = 0; o < 2; o++)
            {
                double expected = layer.Bias![o];
                for (int i = 0; i < 3; i++) expected += x[n, i] * layer.Weight[o, i];
                Assert.Equal(expected, y[n, o], 12);
            }
    }

    [Fact]
    public void Linear_HeInit_HasExpectedSpread()
    {
        var layer = new Linear(400, 300, new Generator(5), Init.He);
        double std = Math.Sqrt(layer.Weight.Square().Mean().Item());
        Assert.InRange(std, Math.Sqrt(2.0 / 400) * 0.97, Math.Sqrt(2.0 / 400) * 1.03);
        Assert.All(layer.Bias!.ToDoubleArray(), v => Assert.Equal(0, v));
    }

    [Fact]
    public void Linear_DefaultInit_IsUniformWithinOneOverSqrtFanIn()
    {
        var layer = new Linear(100, 50, new Generator(6));
        var w = layer.Weight.ToDoubleArray();
        Assert.All(w, v => Assert.InRange(v, -0.1, 0.1));
        // The variance of U(−b, b) is b²/3.
        Assert.InRange(w.Select(v => v * v).Average(), 0.01 / 3 * 0.95, 0.01 / 3 * 1.05);
        Assert.All(layer.Bias!.ToDoubleArray(), v => Assert.InRange(v, -0.1, 0.1));
    }

    [Fact]
    public void Sequential_NamesParametersByPosition_AndGradChecks()
    {
        var g = new Generator(2);
        var model = new Sequential(new Linear(4, 5, g, dtype: DType.Float64), new Tanh(), new Linear(5, 3, g, dtype: DType.Float64));
        Assert.Equal(new[] { "0.weight", "0.bias", "2.weight", "2.bias" }, model.NamedParameters().Select(p => p.Name));
        var x = Tensor.RandomNormal(g, 0, 1, DType.Float64, 6, 4);
        var loss = Functional.SoftmaxCrossEntropy(model.Forward(x), [0, 1, 2, 0, 1, 2]);
        loss.Backward();
        // Numerical gradient of the first weight, element (1, 2), by central differences.
        var w = model.Parameters().First();
        double h = 1e-5, saved = w[1, 2];
        double Loss() { using (Tensor.NoGrad()) return Functional.SoftmaxCrossEntropy(model.Forward(x), [0, 1, 2, 0, 1, 2]).Item(); }
        w.D[1 * 4 + 2] = saved + h; double plus = Loss();
        w.D[1 * 4 + 2] = saved - h; double minus = Loss();
        w.D[1 * 4 + 2] = saved;
        Assert.Equal((plus - minus) / (2 * h), w.Grad![1, 2], 8);
    }

    [Fact]
    public void ALayerUsedTwice_ListsItsParametersOnce_AndOneSgdStepUsesTheSummedGradient()
    {
        // y = W·(W·x) for a 1×1 layer without bias: dy/dW = 2·W·x. With W = 3, x = 2: y = 18, dy/dW = 12, and one plain
        // SGD step of lr 0.1 takes W to 3 − 1.2 = 1.8 (updating twice with the summed gradient would give 0.6).
        var layer = new Linear(1, 1, new Generator(1), bias: false, dtype: DType.Float64);
        layer.Weight.Data.SetValue(3.0, 0);
        var model = new Sequential(layer, layer);
        Assert.Equal(2, model.NamedParameters().Count()); // both names stay (for saving)
        Assert.Single(model.Parameters());
        var sgd = new Sgd(model.Parameters(), 0.1);
        var y = model.Forward(Tensor.FromArray(new double[,] { { 2 } }));
        Assert.Equal(18, y.Item(), 12);
        y.Backward();
        Assert.Equal(12, layer.Weight.Grad!.Item(), 12);
        sgd.Step();
        Assert.Equal(1.8, layer.Weight.Item(), 12);
    }

    [Fact]
    public void Sgd_WithMomentum_FollowsPyTorchRule()
    {
        // lr 0.1, momentum 0.9, gradient 2 at every step: w goes 1 → 0.8 → 0.42.
        var w = Tensor.FromArray(new double[] { 1 }).WithRequiresGrad();
        var opt = new Sgd([w], 0.1, momentum: 0.9);
        var expected = new[] { 0.8, 0.42 };
        foreach (var e in expected)
        {
            opt.ZeroGrad();
            (w * 2.0).Sum().Backward();
            opt.Step();
            Assert.Equal(e, w[0], 12);
        }
    }

    [Fact]
    public void Sgd_Plain_StepsAgainstTheGradient()
    {
        var w = Tensor.FromArray(new float[] { 1, -1 }).WithRequiresGrad();
        var opt = new Sgd([w], 0.5);
        (w * w).Sum().Backward(); // gradient 2w = [2, -2]
        opt.Step();
        Assert.Equal(new double[] { 0, 0 }, w.ToDoubleArray());
    }

    [Fact]
    public void Sgd_RejectsBadSettings()
    {
        var w = Tensor.Zeros(1).WithRequiresGrad();
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd([w], -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd([w], 0.1, momentum: 1.5));
    }

    [Fact]
    public void LayerSizes_BelowOne_AreRefusedInOneLine_NamingTheLayerTheParameterAndTheValue()
    {
        // They passed .NET's two-line "inFeatures ('0') must be a non-negative and non-zero value. … Actual value was 0." through.
        var g = new Generator(1);
        Assert.Equal("Linear: inFeatures must be a positive whole number, not 0. (Parameter 'inFeatures')",
            Assert.Throws<ArgumentOutOfRangeException>(() => new Linear(0, 3, g)).Message);
        Assert.Equal("Linear: outFeatures must be a positive whole number, not -2. (Parameter 'outFeatures')",
            Assert.Throws<ArgumentOutOfRangeException>(() => new Linear(3, -2, g)).Message);
        Assert.Equal("Conv2d: inChannels must be a positive whole number, not 0. (Parameter 'inChannels')",
            Assert.Throws<ArgumentOutOfRangeException>(() => new Conv2d(0, 4, (3, 3), g)).Message);
        Assert.Equal("Conv2d: outChannels must be a positive whole number, not -1. (Parameter 'outChannels')",
            Assert.Throws<ArgumentOutOfRangeException>(() => new Conv2d(1, -1, (3, 3), g)).Message);
        Assert.Equal("Conv2d(kernel 0×3, stride 1×1, padding 0×0): kernel and stride must be at least 1, and padding at least 0. (Parameter 'kernel')",
            Assert.Throws<ArgumentOutOfRangeException>(() => new Conv2d(1, 1, (0, 3), g)).Message);
        Assert.Equal("Conv2d(kernel 3×3, stride 1×0, padding 0×0): kernel and stride must be at least 1, and padding at least 0. (Parameter 'stride')",
            Assert.Throws<ArgumentOutOfRangeException>(() => new Conv2d(1, 1, (3, 3), g, stride: (1, 0))).Message);
        Assert.Equal("Conv2d(kernel 3×3, stride 1×1, padding -1×0): kernel and stride must be at least 1, and padding at least 0. (Parameter 'padding')",
            Assert.Throws<ArgumentOutOfRangeException>(() => new Conv2d(1, 1, (3, 3), g, padding: (-1, 0))).Message);
        Assert.Equal("BatchNorm1d: features must be a positive whole number, not 0. (Parameter 'features')",
            Assert.Throws<ArgumentOutOfRangeException>(() => new BatchNorm1d(0)).Message);
        Assert.Equal("BatchNorm2d: features must be a positive whole number, not -5. (Parameter 'features')",
            Assert.Throws<ArgumentOutOfRangeException>(() => new BatchNorm2d(-5)).Message);
    }

    [Fact]
    public void ArgumentMessages_DropsTheParameterSuffix_OfTheExceptionAndOfEveryInnerOneItRepeats()
    {
        var inner = new ArgumentOutOfRangeException("p", "p must be in [0, 1], not 2.");
        var outer = new InvalidOperationException($"layer 0: {inner.Message}", inner);
        Assert.Equal("p must be in [0, 1], not 2.", ArgumentMessages.WithoutParameterNames(inner));
        Assert.Equal("layer 0: p must be in [0, 1], not 2.", ArgumentMessages.WithoutParameterNames(outer));
        Assert.Equal("no parameter", ArgumentMessages.WithoutParameterNames(new ArgumentException("no parameter")));
    }
}
