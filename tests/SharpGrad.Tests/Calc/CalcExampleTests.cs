using SharpGrad.Viz;

namespace SharpGrad.Tests.Calc;

/// <summary>The textbook's worked examples, through the command: apples with tax, apples and oranges, add and multiply nodes.</summary>
public class CalcExampleTests
{
    private const string Apples = "apple_price = apple * apple_num; price = apple_price * tax";
    private const string Oranges = "price = (apple * apple_num + orange * orange_num) * tax";

    [Fact]
    public void Apples_GiveHandWorkedValueAndGradients()
    {
        var json = CalcRun.Json(Apples, "apple=100", "apple_num=2", "tax=1.1");
        Assert.Equal("price", json.GetProperty("output").GetString());
        Assert.Equal(220, json.GetProperty("value").GetDouble(), 12);
        var g = json.GetProperty("gradients");
        Assert.Equal(2.2, g.GetProperty("apple").GetDouble(), 12);
        Assert.Equal(110, g.GetProperty("apple_num").GetDouble(), 12);
        Assert.Equal(200, g.GetProperty("tax").GetDouble(), 12);
        var applePrice = json.GetProperty("intermediates").GetProperty("apple_price");
        Assert.Equal(200, applePrice.GetProperty("value").GetDouble(), 12);
        Assert.Equal(1.1, applePrice.GetProperty("gradient").GetDouble(), 12);
    }

    [Fact]
    public void Apples_TextRoundsTo12SignificantDigits()
    {
        var run = CalcRun.Of(Apples, "apple=100", "apple_num=2", "tax=1.1");
        Assert.Equal(0, run.ExitCode);
        var lines = run.Out.Split('\n').Select(l => l.TrimEnd()).ToList();
        Assert.Equal("price = 220", lines[0]);
        Assert.Contains(lines, l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is ["apple", "100", "2.2"]);
        Assert.Contains(lines, l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is ["apple_num", "2", "110"]);
        Assert.Contains(lines, l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is ["tax", "1.1", "200"]);
        Assert.Contains(lines, l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is ["apple_price", "200", "1.1"]);
        Assert.DoesNotContain("00000000", run.Out);
        Assert.Equal("", run.Err);
    }

    [Fact]
    public void ApplesAndOranges_GiveHandWorkedValueAndGradients()
    {
        var json = CalcRun.Json(Oranges, "apple=100", "apple_num=2", "orange=150", "orange_num=3", "tax=1.1");
        Assert.Equal(715, json.GetProperty("value").GetDouble(), 10);
        var g = json.GetProperty("gradients");
        Assert.Equal(2.2, g.GetProperty("apple").GetDouble(), 12);
        Assert.Equal(110, g.GetProperty("apple_num").GetDouble(), 10);
        Assert.Equal(3.3, g.GetProperty("orange").GetDouble(), 12);
        Assert.Equal(165, g.GetProperty("orange_num").GetDouble(), 10);
        Assert.Equal(650, g.GetProperty("tax").GetDouble(), 10);
        Assert.Empty(json.GetProperty("intermediates").EnumerateObject());
    }

    [Fact]
    public void Explain_Apples_WalksBackwardNodeByNode()
    {
        var run = CalcRun.Of(Apples, "apple=100", "apple_num=2", "tax=1.1", "--explain");
        Assert.Equal(0, run.ExitCode);
        string text = run.Out;
        int first = text.IndexOf("× node (price = apple_price × tax = 220)", StringComparison.Ordinal);
        int second = text.IndexOf("× node (apple_price = apple × apple_num = 200)", StringComparison.Ordinal);
        Assert.True(first >= 0 && second > first, text);
        Assert.Contains("multiply: each input receives the gradient times the other input", text);
        Assert.Contains("to apple_price: 1 × 1.1 = 1.1", text);
        Assert.Contains("to tax: 1 × 200 = 200", text);
        Assert.Contains("gradient in: 1.1", text);
        Assert.Contains("to apple: 1.1 × 2 = 2.2", text);
        Assert.Contains("to apple_num: 1.1 × 100 = 110", text);
    }

    [Fact]
    public void Explain_AddNode_PassesUpstream13ThroughUnchanged()
    {
        var run = CalcRun.Of("z = (x + y) * 1.3", "x=10", "y=5", "--explain");
        Assert.Contains("+ node (x + y = 15)", run.Out);
        Assert.Contains("add: passes the gradient through unchanged", run.Out);
        Assert.Contains("to x: 1.3 × 1 = 1.3", run.Out);
        Assert.Contains("to y: 1.3 × 1 = 1.3", run.Out);
    }

    [Fact]
    public void Explain_MulNode_SendsUpstream13TimesTheOtherInput()
    {
        var run = CalcRun.Of("z = (x * y) * 1.3", "x=10", "y=5", "--explain");
        Assert.Contains("to x: 1.3 × 5 = 6.5", run.Out);
        Assert.Contains("to y: 1.3 × 10 = 13", run.Out);
        Assert.Contains("to 1.3: nothing (a constant)", run.Out);
    }

    [Fact]
    public void Trace_AddAndMulNodes_WithSeed13_MatchTheTextbook()
    {
        var x = Tensor.Scalar(10, DType.Float64, requiresGrad: true);
        var y = Tensor.Scalar(5, DType.Float64, requiresGrad: true);
        var seed = Tensor.Scalar(1.3, DType.Float64);

        var add = BackwardTrace.Record(x + y, seed).Steps.Single();
        Assert.Equal(1.3, add.GradInputs[0]!.Item(), 15);
        Assert.Equal(1.3, add.GradInputs[1]!.Item(), 15);
        Assert.Equal(1, add.LocalDerivatives[0]!.Item());

        var mul = BackwardTrace.Record(x * y, seed).Steps.Single();
        Assert.Equal(6.5, mul.GradInputs[0]!.Item(), 14);
        Assert.Equal(13, mul.GradInputs[1]!.Item(), 14);
        Assert.Equal(5, mul.LocalDerivatives[0]!.Item());
        Assert.Equal(10, mul.LocalDerivatives[1]!.Item());
    }

    [Fact]
    public void Explain_ValueUsedTwice_SumsTheGradientsItReceives()
    {
        var run = CalcRun.Of("t = x * 3; y = t * t", "x=2", "--explain");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("gradient in: 6 + 6 = 12", run.Out); // ∂y/∂t = 2t = 12, arriving as t·1 twice
        Assert.Contains("∂y/∂x = 36", run.Out);
    }

    [Fact]
    public void NewlinesSeparateStatements_AndPowerBindsTighterThanUnaryMinus()
    {
        var json = CalcRun.Json("a = -x^2\nb = 2^3^2\ny = a + b", "x=3");
        Assert.Equal(-9 + 512, json.GetProperty("value").GetDouble(), 12);
        Assert.Equal(-6, json.GetProperty("gradients").GetProperty("x").GetDouble(), 12);
    }

    [Fact]
    public void VariableExponent_IsExpOfProductWithLog()
    {
        var json = CalcRun.Json("y = x^z", "x=2", "z=3");
        Assert.Equal(8, json.GetProperty("value").GetDouble(), 12);
        Assert.Equal(12, json.GetProperty("gradients").GetProperty("x").GetDouble(), 12);          // z·x^(z−1)
        Assert.Equal(8 * Math.Log(2), json.GetProperty("gradients").GetProperty("z").GetDouble(), 12); // x^z·ln x
    }
}
