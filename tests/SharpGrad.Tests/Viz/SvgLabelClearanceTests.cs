using System.Globalization;
using System.Xml.Linq;
using SharpGrad.Viz;

namespace SharpGrad.Tests.Viz;

/// <summary>No edge of an SVG picture runs through a value or gradient label (checked by sampling every edge every half pixel).</summary>
public class SvgLabelClearanceTests
{
    private static Tensor In(double v, string name) => Tensor.Scalar(v, DType.Float64, requiresGrad: true).WithName(name);

    private static Tensor Apples() => ((In(100, "apple") * In(2, "apple_num")).WithName("apple_price") * In(1.1, "tax")).WithName("price");

    private static Tensor Oranges() => ((In(100, "apple") * In(2, "apple_num") + In(150, "orange") * In(3, "orange_num")) * In(1.1, "tax")).WithName("price");

    /// <summary>y · y with long labels: the two edges bend apart, and a label between them was crossed by the other one.</summary>
    private static Tensor Square()
    {
        var y = (In(1.5, "x").Pow(2) - In(2.55326533, "z")).WithName("y");
        return (y * y).WithName("output");
    }

    private static Tensor Example(string name) => name switch
    {
        "apples" => Apples(),
        "oranges" => Oranges(),
        "square" => Square(),
        _ => SmallNetworkLoss(),
    };

    public static TheoryData<string> Examples => new() { "apples", "oranges", "square" };

    [Theory]
    [MemberData(nameof(Examples))]
    public void Svg_EdgeLabels_AreNotCrossedByAnyEdge(string example)
    {
        var root = Example(example);
        var svg = XDocument.Parse(GraphExport.ToSvg(root, new GraphExportOptions { Trace = BackwardTrace.Record(root) }));
        XNamespace ns = "http://www.w3.org/2000/svg";
        static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);

        var edges = svg.Descendants(ns + "path").Where(p => p.Attribute("marker-end") is not null)
            .Select(p => p.Attribute("d")!.Value.Split(' ').Select(t => t.TrimStart('M', 'L').Split(',')).Select(xy => (X: D(xy[0]), Y: D(xy[1]))).ToList())
            .ToList();
        var labels = svg.Descendants(ns + "text").Where(t => t.Attribute("font-size")?.Value == "13").ToList();
        Assert.NotEmpty(labels);

        // A 13 px label's box: 7.4 px per character (LayeredLayout.CharWidth), ascent 10, descent 3, plus a 2 px margin.
        const double margin = 2;
        foreach (var label in labels)
        {
            double x = D(label.Attribute("x")!.Value), baseline = D(label.Attribute("y")!.Value), w = 7.4 * label.Value.Length;
            double left = label.Attribute("text-anchor")!.Value switch { "start" => x, "end" => x - w, _ => x - w / 2 };
            (double L, double T, double R, double B) box = (left - margin, baseline - 10 - margin, left + w + margin, baseline + 3 + margin);
            foreach (var points in edges)
            {
                for (int k = 0; k + 1 < points.Count; k++)
                {
                    var (a, b) = (points[k], points[k + 1]);
                    int samples = (int)(Math.Max(Math.Abs(b.X - a.X), Math.Abs(b.Y - a.Y)) * 2) + 1;
                    for (int i = 0; i <= samples; i++)
                    {
                        double px = a.X + (b.X - a.X) * i / samples, py = a.Y + (b.Y - a.Y) * i / samples;
                        Assert.False(px > box.L && px < box.R && py > box.T && py < box.B,
                            $"{example}: the edge {a}→{b} passes through the label '{label.Value}' at ({px:0.#}, {py:0.#})");
                    }
                }
            }
        }
    }

    /// <summary>A two-layer network's loss (4 → 5 → 3, batch of 2): long gradient labels ("[5×4] ‖g‖ = 0.187427") on edges that converge.</summary>
    private static Tensor SmallNetworkLoss()
    {
        var model = SharpGrad.Nn.Models.Mlp([5], batchNorm: false, dropout: 0, new Generator(1), inputs: 4, classes: 3);
        var x = Tensor.RandomNormal(new Generator(2), 0, 1, DType.Float32, 2, 4);
        var loss = Functional.SoftmaxCrossEntropy(model.Forward(x), [0, 2]);
        loss.Backward();
        return loss;
    }

    public static TheoryData<string> AllExamples => new() { "apples", "oranges", "square", "network" };

    [Theory]
    [MemberData(nameof(AllExamples))]
    public void Svg_EdgeLabels_DoNotOverlapEachOther(string example)
    {
        // The weight's gradient label of a Linear layer was drawn over the bias's value label ("[5]" inside
        // "[5×4] ‖g‖ = 0.187427"): labels were kept clear of edges but not of each other.
        var root = Example(example);
        var options = example == "network" ? null : new GraphExportOptions { Trace = BackwardTrace.Record(root) };
        var svg = XDocument.Parse(GraphExport.ToSvg(root, options));
        XNamespace ns = "http://www.w3.org/2000/svg";
        static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);
        // The same box as above (7.4 px per character, ascent 10, descent 3), without the margin.
        var boxes = svg.Descendants(ns + "text").Where(t => t.Attribute("font-size")?.Value == "13").Select(label =>
        {
            double x = D(label.Attribute("x")!.Value), baseline = D(label.Attribute("y")!.Value), w = 7.4 * label.Value.Length;
            double left = label.Attribute("text-anchor")!.Value switch { "start" => x, "end" => x - w, _ => x - w / 2 };
            return (Text: label.Value, L: left, T: baseline - 10, R: left + w, B: baseline + 3);
        }).ToList();
        Assert.True(boxes.Count >= 5);
        for (int i = 0; i < boxes.Count; i++)
            for (int j = i + 1; j < boxes.Count; j++)
            {
                var (a, b) = (boxes[i], boxes[j]);
                Assert.False(a.L < b.R && b.L < a.R && a.T < b.B && b.T < a.B, $"{example}: the labels '{a.Text}' and '{b.Text}' overlap");
            }
    }
}
