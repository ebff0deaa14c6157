namespace SharpGrad.Tests.Calc;

/// <summary>A statement that only renames ("a = x") is its own node, so its gradient counts only the uses of a.</summary>
public class CalcAliasTests
{
    [Fact]
    public void Rename_NotUsedByTheOutput_HasZeroGradient()
    {
        var json = CalcRun.Json("a = x; b = 3*y + x", "x=1", "y=2");
        Assert.Equal(0, json.GetProperty("intermediates").GetProperty("a").GetProperty("gradient").GetDouble());
        Assert.Equal(1, json.GetProperty("gradients").GetProperty("x").GetDouble());
        Assert.Equal(3, json.GetProperty("gradients").GetProperty("y").GetDouble());
    }

    [Fact]
    public void Rename_UsedOnce_CountsOnlyThatUse()
    {
        var json = CalcRun.Json("a = x; b = a + x", "x=1");
        Assert.Equal(2, json.GetProperty("value").GetDouble());
        Assert.Equal(1, json.GetProperty("intermediates").GetProperty("a").GetProperty("gradient").GetDouble());
        Assert.Equal(2, json.GetProperty("gradients").GetProperty("x").GetDouble());
    }

    [Fact]
    public void RenameOfAnIntermediate_AndRenamedOutput_AreSeparateNodes()
    {
        var json = CalcRun.Json("a = x * x; b = a; c = b", "x=3");
        Assert.Equal("c", json.GetProperty("output").GetString());
        Assert.Equal(6, json.GetProperty("gradients").GetProperty("x").GetDouble());
        Assert.Equal(1, json.GetProperty("intermediates").GetProperty("a").GetProperty("gradient").GetDouble());
        Assert.Equal(1, json.GetProperty("intermediates").GetProperty("b").GetProperty("gradient").GetDouble());
    }

    [Fact]
    public void Rename_IsExplainedAsACopy()
    {
        var run = CalcRun.Of("a = x; b = a + x", "x=1", "--explain");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("copy node (a = x = 1)", run.Out);
        Assert.Contains("rule: copy: passes the gradient through unchanged", run.Out);
    }
}
