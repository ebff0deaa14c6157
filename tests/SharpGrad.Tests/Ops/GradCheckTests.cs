using static SharpGrad.Tests.Toolkit.NumericalGradients;

namespace SharpGrad.Tests.Ops;

/// <summary>Every operation's backprop gradient against central differences in float64 (h = 1e-4), away from kinks.</summary>
public class GradCheckTests
{
    private static Tensor Rand(int seed, double low, double high, params int[] shape) =>
        Tensor.RandomUniform(new Generator((ulong)seed), low, high, DType.Float64, shape);

    public static TheoryData<string> Unary => new() { "neg", "exp", "log", "sqrt", "tanh", "sigmoid", "relu", "sin", "cos", "abs", "pow3", "pow-1.5", "square" };

    [Theory]
    [MemberData(nameof(Unary))]
    public void UnaryOp_MatchesNumericalGradient(string op)
    {
        // Positive inputs keep log, sqrt and fractional powers defined; relu and abs are checked away from 0.
        var x = Rand(1, 0.3, 2.0, 3, 4);
        if (op is "relu" or "abs" or "neg" or "tanh" or "sin" or "cos")
            x = x * Tensor.FromArray(new double[] { 1, -1, 1, -1 }); // mixed signs, still away from 0
        Func<Tensor, Tensor> f = op switch
        {
            "neg" => t => -t,
            "exp" => t => t.Exp(),
            "log" => t => t.Log(),
            "sqrt" => t => t.Sqrt(),
            "tanh" => t => t.Tanh(),
            "sigmoid" => t => t.Sigmoid(),
            "relu" => t => t.Relu(),
            "sin" => t => t.Sin(),
            "cos" => t => t.Cos(),
            "abs" => t => t.Abs(),
            "pow3" => t => t.Pow(3),
            "pow-1.5" => t => t.Pow(-1.5),
            _ => t => t.Square(),
        };
        Check(t => f(t[0]), x);
    }

    [Theory]
    [InlineData(new[] { 3, 4 }, new[] { 3, 4 })]
    [InlineData(new[] { 3, 4 }, new[] { 4 })]
    [InlineData(new[] { 3, 1 }, new[] { 1, 4 })]
    [InlineData(new[] { 2, 3, 4 }, new[] { 3, 1 })]
    [InlineData(new int[0], new[] { 2, 3 })]
    public void BinaryOps_WithBroadcasting_MatchNumericalGradient(int[] shapeA, int[] shapeB)
    {
        var a = Rand(2, 0.5, 2, shapeA);
        var b = Rand(3, 0.5, 2, shapeB);
        Check(t => t[0] + t[1], a, b);
        Check(t => t[0] - t[1], a, b);
        Check(t => t[0] * t[1], a, b);
        Check(t => t[0] / t[1], a, b);
    }

    [Fact]
    public void Reductions_MatchNumericalGradient()
    {
        var x = Rand(4, -1, 1, 2, 3, 4);
        Check(t => t[0].Sum(), x);
        Check(t => t[0].Sum(1), x);
        Check(t => t[0].Sum([0, 2], keepDims: true), x);
        Check(t => t[0].Mean(), x);
        Check(t => t[0].Mean(-1, keepDims: true), x);
        Check(t => t[0].Max(1), x);
        Check(t => t[0].Max(-1, keepDims: true), x);
    }

    [Fact]
    public void Movement_MatchesNumericalGradient()
    {
        var x = Rand(5, -1, 1, 2, 3, 4);
        Check(t => t[0].Reshape(6, 4), x);
        Check(t => t[0].Reshape(-1), x);
        Check(t => t[0].Permute(2, 0, 1), x);
        Check(t => t[0].Transpose(), x);
        Check(t => t[0].Reshape(6, 4).Transpose(), x);
        var y = Rand(6, -1, 1, 3, 1);
        Check(t => t[0].BroadcastTo(2, 3, 4), y);
        Check(t => t[0].SumTo(3, 1), x);
    }

    [Fact]
    public void MatMul_AllForms_MatchNumericalGradient()
    {
        var a = Rand(7, -1, 1, 3, 4);
        var b = Rand(8, -1, 1, 4, 5);
        Check(t => t[0].MatMul(t[1]), a, b);
        Check(t => SharpGrad.Ops.MatMul.Apply(t[0], t[1], transA: true), Rand(9, -1, 1, 4, 3), b);
        Check(t => SharpGrad.Ops.MatMul.Apply(t[0], t[1], transB: true), a, Rand(10, -1, 1, 5, 4));
        Check(t => SharpGrad.Ops.MatMul.Apply(t[0], t[1], transA: true, transB: true), Rand(11, -1, 1, 4, 3), Rand(12, -1, 1, 5, 4));
        Check(t => t[0].MatMul(t[1]), Rand(13, -1, 1, 4), b);           // vector · matrix
        Check(t => t[0].MatMul(t[1]), a, Rand(14, -1, 1, 4));           // matrix · vector
        Check(t => t[0].MatMul(t[1]), Rand(15, -1, 1, 4), Rand(16, -1, 1, 4)); // dot
        Check(t => t[0].MatMul(t[1]), Rand(17, -1, 1, 2, 3, 4), Rand(18, -1, 1, 4, 5)); // batch broadcast
        Check(t => t[0].MatMul(t[1]), Rand(19, -1, 1, 2, 1, 3, 4), Rand(20, -1, 1, 3, 4, 2));
    }

    [Fact]
    public void FusedLinear_MatchesNumericalGradient_AndUnfusedForm()
    {
        var x = Rand(31, -1, 1, 4, 6);
        var w = Rand(32, -1, 1, 5, 6);
        var b = Rand(33, -1, 1, 5);
        Check(t => SharpGrad.Ops.Linear.Apply(t[0], t[1], t[2]), x, w, b);
        Check(t => SharpGrad.Ops.Linear.Apply(t[0], t[1], null), x, w);
        var fused = SharpGrad.Ops.Linear.Apply(x, w, b).ToDoubleArray();
        var plain = (x.MatMul(w.Transpose()) + b).ToDoubleArray();
        for (int i = 0; i < fused.Length; i++) Assert.Equal(plain[i], fused[i], 12);
    }

    [Fact]
    public void SoftmaxFamily_MatchesNumericalGradient()
    {
        var x = Rand(21, -2, 2, 3, 5);
        Check(t => t[0].Softmax(), x);
        Check(t => t[0].Softmax(0), x);
        Check(t => t[0].LogSoftmax(), x);
        Check(t => t[0].LogSoftmax(0), x);
        Check(t => Functional.SoftmaxCrossEntropy(t[0], [1, 4, 0]), x);
        Check(t => Functional.MseLoss(t[0], t[1]), x, Rand(22, -1, 1, 3, 5));
        Check(t => Rand(23, 0, 1, 2, 3, 4).Softmax(1) * t[0], Rand(24, 0, 1, 2, 3, 4));
        Check(t => t[0].Softmax(1), Rand(25, -2, 2, 2, 3, 4));
    }

    [Fact]
    public void Composite_MlpLoss_MatchesNumericalGradient()
    {
        var x = Rand(26, -1, 1, 4, 6);
        var w1 = Rand(27, -1, 1, 5, 6);
        var b1 = Rand(28, -0.1, 0.1, 5);
        var w2 = Rand(29, -1, 1, 3, 5);
        Check(t => Functional.SoftmaxCrossEntropy(
            SharpGrad.Ops.MatMul.Apply((SharpGrad.Ops.MatMul.Apply(t[0], t[1], transB: true) + t[2]).Tanh(), t[3], transB: true), [0, 2, 1, 2]),
            x, w1, b1, w2);
    }

    [Fact]
    public void GradCheck_DetectsAWrongGradient()
    {
        // A function whose "gradient" is deliberately broken: detach cuts the flow through one factor.
        var x = Rand(30, 1, 2, 3);
        var result = GradCheck.Check(t => t[0] * t[0].Detach(), [x]);
        Assert.False(result.Passes(Tolerance));
        Assert.InRange(result.MaxError, 0.2, double.MaxValue);
    }
}
