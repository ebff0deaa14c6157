using SharpGrad.Tests.Toolkit;

namespace SharpGrad.Tests.Calc;

/// <summary>Deep or long programs: a clear error past the nesting limit, never a stack overflow; long flat chains work.</summary>
public class CalcDepthTests
{
    [Fact]
    public void HundredThousandNestedParentheses_AreRejectedWithOneLineNamingTheColumn()
    {
        string program = new string('(', 100_000) + "x" + new string(')', 100_000);
        var run = CalcRun.Of(program, "x=1");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.Equal("calc: the program nests more than 10,000 levels deep (parentheses, calls, signs or powers) at column 10001; split it into named statements.", run.Err.TrimEnd());
    }

    [Fact]
    public void ThirtyThousandUnaryMinuses_AreRejected()
    {
        var run = CalcRun.Of(new string('-', 30_000) + "x", "x=1");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("nests more than 10,000 levels deep", run.Err);
    }

    [Fact]
    public void NestingUpToTheLimit_Works()
    {
        // The statement is level 1, each parenthesis one more, the minus the last: 10,000 in all.
        var json = CalcRun.Json(new string('(', 9_998) + "-x" + new string(')', 9_998) + "^2", "x=3");
        Assert.Equal(9, json.GetProperty("value").GetDouble());
        Assert.Equal(6, json.GetProperty("gradients").GetProperty("x").GetDouble());
    }

    [Theory]
    [InlineData(20_000)]
    [InlineData(30_000)]
    public void LongFlatSum_GivesValueAndGradient(int terms)
    {
        string program = string.Join("+", Enumerable.Repeat("x", terms)) + "*y";
        var json = CalcRun.Json(program, "x=1", "y=2");
        Assert.Equal(terms + 1, json.GetProperty("value").GetDouble()); // (terms − 1)·1 + 1·2
        Assert.Equal(terms + 1, json.GetProperty("gradients").GetProperty("x").GetDouble()); // terms − 1 plain, and y = 2 from x*y
        Assert.Equal(1, json.GetProperty("gradients").GetProperty("y").GetDouble());
    }

    [Fact]
    public void LongFlatSum_Explained_ShortensTheRepeatedSourceText()
    {
        string program = string.Join(" + ", Enumerable.Repeat("x", 5_000));
        var run = CalcRun.Of(program, "x=1", "--explain");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("result: ∂output/∂x = 5000", run.Out);
        Assert.True(run.Out.Length < 5_000 * 1_000, $"{run.Out.Length} characters");
        Assert.Contains("(x + x + x", run.Out);
        Assert.Contains(" … ", run.Out);
    }

    [Fact]
    public void LongFlatSum_AsSvg_IsRefusedWithAPointerToDot()
    {
        using var temp = new TempDirectory("sharpgrad-calc-");
        string path = temp.PathOf("long.svg");
        var run = CalcRun.Of(string.Join("+", Enumerable.Repeat("x", 502)), "x=1", "--svg", path);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("the graph has 501 operations", run.Err);
        Assert.Contains("--dot", run.Err);
        Assert.False(File.Exists(path));
    }
}
