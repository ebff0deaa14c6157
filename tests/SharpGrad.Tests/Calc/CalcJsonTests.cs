using System.Text.Json;
using SharpGrad.Tests.Toolkit;

namespace SharpGrad.Tests.Calc;

/// <summary>--json prints exactly one object with the documented keys and full-precision numbers.</summary>
public class CalcJsonTests
{
    [Fact]
    public void Json_IsOneObjectWithTheDocumentedSchema()
    {
        var run = CalcRun.Of("t = a * b; y = t + a", "a=1.1", "b=2", "--json", "--order", "2");
        Assert.Equal(0, run.ExitCode);
        using var doc = JsonDocument.Parse(run.Out); // throws on anything but one JSON value
        var root = doc.RootElement;
        Assert.Equal(JsonValueKind.Object, root.ValueKind);
        Assert.Equal(["output", "value", "gradients", "intermediates", "hessian"], root.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(JsonValueKind.String, root.GetProperty("output").ValueKind);
        Assert.Equal(JsonValueKind.Number, root.GetProperty("value").ValueKind);
        Assert.Equal(["a", "b"], root.GetProperty("gradients").EnumerateObject().Select(p => p.Name).ToArray());
        Assert.All(root.GetProperty("gradients").EnumerateObject(), p => Assert.Equal(JsonValueKind.Number, p.Value.ValueKind));
        var t = root.GetProperty("intermediates").GetProperty("t");
        Assert.Equal(["value", "gradient"], t.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(["a", "b"], root.GetProperty("hessian").GetProperty("a").EnumerateObject().Select(p => p.Name).ToArray());
    }

    [Fact]
    public void Json_KeepsFullPrecision()
    {
        var json = CalcRun.Json("y = a * b", "a=1.1", "b=200");
        Assert.Equal(1.1 * 200, json.GetProperty("value").GetDouble()); // 220.00000000000003, exactly
        Assert.Contains("220.00000000000003", json.GetRawText());
    }

    [Fact]
    public void Json_HasNoHessianAtOrder1_AndNamesAnUnnamedOutputOutput()
    {
        var json = CalcRun.Json("x * 2", "x=1");
        Assert.Equal("output", json.GetProperty("output").GetString());
        Assert.False(json.TryGetProperty("hessian", out _));
    }

    [Fact]
    public void Json_WithPictures_StillPrintsOnlyJsonOnStdout()
    {
        using var temp = new TempDirectory("sharpgrad-calc-");
        string svg = temp.PathOf("g.svg");
        var run = CalcRun.Of("y = x * 2", "x=1", "--json", "--svg", svg);
        using var doc = JsonDocument.Parse(run.Out);
        Assert.Equal(2, doc.RootElement.GetProperty("gradients").GetProperty("x").GetDouble());
        // --explain is prose: asked for together with --json it is refused, not silently dropped.
        var both = CalcRun.Of("y = x * 2", "x=1", "--json", "--explain");
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("use one of them", both.Err);
    }
}
