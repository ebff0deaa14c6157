namespace SharpGrad.Tests.Calc;

/// <summary>--order 2: second derivatives by differentiating the gradients, against golden and hand-worked values.</summary>
public class CalcHessianTests
{
    private static double H(System.Text.Json.JsonElement json, string row, string column) =>
        json.GetProperty("hessian").GetProperty(row).GetProperty(column).GetDouble();

    [Fact]
    public void Quartic_At2_Gives24Then44()
    {
        var json = CalcRun.Json("y = x^4 - 2*x^2", "x=2", "--order", "2");
        Assert.Equal(8, json.GetProperty("value").GetDouble(), 12);
        Assert.Equal(24, json.GetProperty("gradients").GetProperty("x").GetDouble(), 12); // 4x³ − 4x
        Assert.Equal(44, H(json, "x", "x"), 12);                                           // 12x² − 4
    }

    [Fact]
    public void Sine_SecondDerivativeAt1_IsMinusSin1()
    {
        var json = CalcRun.Json("sin(x)", "x=1", "--order", "2");
        Assert.Equal("output", json.GetProperty("output").GetString());
        Assert.Equal(-0.8414709848078965, H(json, "x", "x"), 15);
    }

    [Fact]
    public void XTimesYSquared_GivesTheHandWorkedHessian()
    {
        // f = x·y²: f_x = y², f_y = 2xy; f_xx = 0, f_xy = f_yx = 2y, f_yy = 2x.
        var json = CalcRun.Json("f = x * y^2", "x=3", "y=2", "--order", "2");
        Assert.Equal(4, json.GetProperty("gradients").GetProperty("x").GetDouble(), 12);
        Assert.Equal(12, json.GetProperty("gradients").GetProperty("y").GetDouble(), 12);
        Assert.Equal(0, H(json, "x", "x"), 12);
        Assert.Equal(4, H(json, "x", "y"), 12);
        Assert.Equal(4, H(json, "y", "x"), 12);
        Assert.Equal(6, H(json, "y", "y"), 12);
    }

    [Fact]
    public void LinearOutput_HasAZeroHessian()
    {
        var json = CalcRun.Json("y = 3*x + z", "x=1", "z=2", "--order", "2");
        foreach (var row in json.GetProperty("hessian").EnumerateObject())
            foreach (var cell in row.Value.EnumerateObject())
                Assert.Equal(0, cell.Value.GetDouble());
    }

    [Fact]
    public void Text_PrintsTheHessianTable()
    {
        var run = CalcRun.Of("f = x * y^2", "x=3", "y=2", "--order", "2");
        var lines = run.Out.Split('\n').Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.Contains("second derivatives ∂²f/∂row∂column:", run.Out);
        Assert.Contains(lines, l => l is ["x", "0", "4"]);
        Assert.Contains(lines, l => l is ["y", "4", "6"]);
    }
}
