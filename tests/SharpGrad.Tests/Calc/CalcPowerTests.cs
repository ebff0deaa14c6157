namespace SharpGrad.Tests.Calc;

/// <summary>x^y with a variable exponent: one power node, defined wherever Math.Pow is, with PyTorch's gradients at 0.</summary>
public class CalcPowerTests
{
    private static (double Value, double GradX, double GradY) XToTheY(double x, double y)
    {
        var json = CalcRun.Json("x^y", $"x={x}", $"y={y}");
        var g = json.GetProperty("gradients");
        double Read(System.Text.Json.JsonElement e) => e.ValueKind == System.Text.Json.JsonValueKind.Number ? e.GetDouble() : double.NaN;
        return (json.GetProperty("value").GetDouble(), Read(g.GetProperty("x")), Read(g.GetProperty("y")));
    }

    [Fact]
    public void VariableExponent_WithNegativeBase_IsComputed()
    {
        var (v2, gx2, _) = XToTheY(-2, 2);
        Assert.Equal(4, v2);
        Assert.Equal(-4, gx2, 12);
        var (v3, gx3, _) = XToTheY(-2, 3);
        Assert.Equal(-8, v3);
        Assert.Equal(12, gx3, 12);
    }

    [Fact]
    public void VariableExponent_AtPositiveBase_GivesHandWorkedGradients()
    {
        var (v, gx, gy) = XToTheY(2, 3);
        Assert.Equal(8, v, 12);
        Assert.Equal(12, gx, 12);
        Assert.Equal(8 * Math.Log(2), gy, 12);
    }

    [Fact]
    public void VariableExponent_AtZeroBase_HasZeroGradients_AndZeroToTheZeroIsOne()
    {
        Assert.Equal((0.0, 0.0, 0.0), XToTheY(0, 2));
        Assert.Equal((1.0, 0.0, 0.0), XToTheY(0, 0));
    }

    [Fact]
    public void VariableExponent_IsOnePowerNodeInTheExplanation()
    {
        var run = CalcRun.Of("z = x^y", "x=2", "y=3", "--explain");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("^ node (z = x ^ y = 8)", run.Out);
        Assert.DoesNotContain("(…)", run.Out);
        Assert.DoesNotContain("exp node", run.Out);
        Assert.DoesNotContain("log node", run.Out);
    }
}
