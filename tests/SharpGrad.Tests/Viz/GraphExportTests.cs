using System.Diagnostics;
using System.Xml.Linq;
using SharpGrad.Viz;
using SharpGrad.Tests.Toolkit;

namespace SharpGrad.Tests.Viz;

/// <summary>DOT and SVG pictures of graphs: structure, values and gradients on edges, escaping, and Graphviz's verdict.</summary>
public class GraphExportTests
{
    private static Tensor In(double v, string name) => Tensor.Scalar(v, DType.Float64, requiresGrad: true).WithName(name);

    private static (Tensor Price, BackwardTrace Trace) Apples()
    {
        var applePrice = (In(100, "apple") * In(2, "apple_num")).WithName("apple_price");
        var price = (applePrice * In(1.1, "tax")).WithName("price");
        return (price, BackwardTrace.Record(price));
    }

    [Fact]
    public void Dot_Apples_HasCirclesLabelsAndValueAndGradientOnEveryEdge()
    {
        var (price, trace) = Apples();
        var dot = DotStructure.Parse(GraphExport.ToDot(price, new GraphExportOptions { Trace = trace }));

        Assert.Equal(["apple", "apple_num", "×", "tax", "×", "price"], dot.Nodes.Values.ToArray());
        string Id(string label) => dot.Nodes.Single(n => n.Value == label).Key;
        Assert.Contains(dot.Edges, e => e.From == Id("apple") && e.Value == "100" && e.Gradient == "2.2");
        Assert.Contains(dot.Edges, e => e.From == Id("apple_num") && e.Value == "2" && e.Gradient == "110");
        Assert.Contains(dot.Edges, e => e.From == Id("tax") && e.Value == "1.1" && e.Gradient == "200");
        Assert.Contains(dot.Edges, e => dot.Nodes[e.From] == "×" && e.Value == "apple_price = 200" && e.Gradient == "1.1");
        Assert.Contains(dot.Edges, e => e.To == Id("price") && e.Value == "220" && e.Gradient == "1");
        Assert.Equal(5, dot.Edges.Count);
    }

    [Fact]
    public void Dot_IsDeterministic()
    {
        var (a, ta) = Apples();
        var (b, tb) = Apples();
        Assert.Equal(GraphExport.ToDot(a, new() { Trace = ta }), GraphExport.ToDot(b, new() { Trace = tb }));
    }

    [Fact]
    public void Dot_EscapesAnyName_AndNeverMergesEqualLabels()
    {
        string nasty = "a\"b\\c<d>&e{f}\n;g -> h [x]";
        var x1 = In(3, nasty);
        var x2 = In(3, nasty); // same name, same value, different tensor
        var y = (x1 * 2.0 + x2 * 2.0).WithName("</td>\"");
        y.Backward();
        string text = GraphExport.ToDot(y);
        var dot = DotStructure.Parse(text);
        Assert.Equal(2, dot.Nodes.Values.Count(v => v == nasty));
        Assert.Equal(2, dot.Nodes.Values.Count(v => v == "×"));
        Assert.Contains(dot.Nodes.Values, v => v == "</td>\"");
        AssertGraphvizAccepts(text);
    }

    [Fact]
    public void Dot_ValueUsedTwice_IsOneVertexWithTwoEdgesEachCarryingItsOwnGradient()
    {
        var x = In(3, "x");
        var y = x * x + x; // ∂y/∂x = 2x + 1 = 7: 3 + 3 from the product, 1 from the sum
        var dot = DotStructure.Parse(GraphExport.ToDot(y, new() { Trace = BackwardTrace.Record(y) }));
        string xId = dot.Nodes.Single(n => n.Value == "x").Key;
        Assert.Equal(["1", "3", "3"], dot.Edges.Where(e => e.From == xId).Select(e => e.Gradient!).Order().ToArray());
    }

    [Fact]
    public void Dot_NetworkTensors_ShowShapes_AndGraphvizAcceptsIt()
    {
        var w = Tensor.FromArray(new double[] { 1, 2, 3, 4, 5, 6 }, 2, 3).WithRequiresGrad().WithName("W");
        var input = Tensor.FromArray(new double[] { 1, -1 }, 1, 2).WithName("input");
        var loss = input.MatMul(w).Relu().Sum().WithName("loss");
        loss.Backward();
        string text = GraphExport.ToDot(loss);
        var dot = DotStructure.Parse(text);
        Assert.Contains(dot.Edges, e => dot.Nodes[e.From] == "W" && e.Value == "[2×3]" && e.Gradient!.StartsWith("[2×3] ‖g‖ = "));
        Assert.Contains(dot.Edges, e => dot.Nodes[e.To] == "loss" && e.Value == "0");
        AssertGraphvizAccepts(text);
    }

    [Fact]
    public void Svg_Apples_IsWellFormedWithOneCirclePerOperationAndRedGradients()
    {
        var (price, trace) = Apples();
        var svg = XDocument.Parse(GraphExport.ToSvg(price, new GraphExportOptions { Trace = trace }));
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal(2, svg.Descendants(ns + "circle").Count());
        Assert.Equal(5, svg.Descendants(ns + "path").Count(p => p.Attribute("marker-end") is not null));
        var texts = svg.Descendants(ns + "text").ToList();
        var red = texts.Where(t => t.Attribute("fill")?.Value == "#d01c1c").Select(t => t.Value).Order().ToArray();
        Assert.Equal(["1", "1.1", "110", "2.2", "200"], red);
        Assert.Contains(texts, t => t.Value == "apple_price = 200");
        Assert.Equal(2, texts.Count(t => t.Value == "×"));
        var ids = svg.Descendants().Select(e => e.Attribute("id")?.Value).OfType<string>().ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void Svg_LaysOutLeftToRight_InputsLeftOfTheirOperationOutputAtTheRight()
    {
        var (price, trace) = Apples();
        var svg = XDocument.Parse(GraphExport.ToSvg(price, new GraphExportOptions { Trace = trace }));
        XNamespace ns = "http://www.w3.org/2000/svg";
        double X(string id) => svg.Descendants(ns + "g").Single(g => g.Attribute("id")?.Value == id)
            .Elements().Where(e => e.Name == ns + "circle" || e.Name == ns + "text").Select(e => double.Parse((e.Attribute("cx") ?? e.Attribute("x"))!.Value, System.Globalization.CultureInfo.InvariantCulture)).First();
        var graph = ComputationGraph.Build(price, new GraphExportOptions { Trace = trace });
        string apple = graph.Vertices.Single(v => v.Label == "apple").Id, tax = graph.Vertices.Single(v => v.Label == "tax").Id;
        var ops = graph.Vertices.Where(v => v.Kind == GraphVertexKind.Operation).Select(v => v.Id).ToList();
        Assert.True(X(apple) < X(ops[0]) && X(ops[0]) < X(ops[1]) && X(ops[1]) < X("out"));
        Assert.True(X(tax) < X(ops[1]) && X(tax) > X(apple));
    }

    [Fact]
    public void Svg_EscapesNames()
    {
        var y = (In(1, "<script>&") * 2.0).WithName("\"quoted\"");
        var svg = XDocument.Parse(GraphExport.ToSvg(y));
        Assert.Contains(svg.Descendants().Where(e => e.Name.LocalName == "text"), t => t.Value == "<script>&");
    }

    [Fact]
    public void Svg_LineBreaksAndTabsInNames_SeparateWords()
    {
        // They were dropped, so "unit\nprice" was drawn as "unitprice" (the DOT label breaks the line there).
        var y = (In(1, "unit\nprice") * In(2, "tax\trate")).WithName("total\r\nprice");
        var svg = XDocument.Parse(GraphExport.ToSvg(y));
        var texts = svg.Descendants().Where(e => e.Name.LocalName == "text").Select(t => t.Value).ToList();
        Assert.Contains("unit price", texts);
        Assert.Contains("tax rate", texts);
        Assert.Contains("total price", texts);
    }

    /// <summary>Runs Graphviz on the text when it is installed (CI installs it); without it the structural checks stand alone.</summary>
    private static void AssertGraphvizAccepts(string dot)
    {
        string? exe = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(d => Path.Combine(d, "dot")).FirstOrDefault(File.Exists);
        if (exe is null) return;
        var start = new ProcessStartInfo(exe, "-Tsvg") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(dot);
        process.StandardInput.Close();
        Assert.True(process.WaitForExit(20_000), "dot did not finish");
        Assert.True(process.ExitCode == 0 && stderr.Result.Length == 0, $"dot rejected the graph: {stderr.Result}\n{dot}");
        Assert.Contains("<svg", stdout.Result);
    }

    [Fact]
    public void Dot_FromCalc_IsAcceptedByGraphviz()
    {
        using var temp = new TempDirectory("sharpgrad-calc-");
        string path = temp.PathOf("g.dot");
        var run = Calc.CalcRun.Of("price = (apple * apple_num + orange * orange_num) * tax", "apple=100", "apple_num=2", "orange=150", "orange_num=3", "tax=1.1", "--dot", path);
        Assert.Equal(0, run.ExitCode);
        string text = File.ReadAllText(path);
        var dot = DotStructure.Parse(text);
        Assert.Equal(3, dot.Nodes.Values.Count(v => v == "×"));
        Assert.Contains(dot.Edges, e => dot.Nodes[e.From] == "orange_num" && e.Value == "3" && e.Gradient == "165");
        AssertGraphvizAccepts(text);
    }
}
