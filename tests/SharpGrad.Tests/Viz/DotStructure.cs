using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace SharpGrad.Tests.Viz;

/// <summary>
/// Reads back the DOT that GraphExport writes (one statement a line), checking as it goes: ids are plain and
/// unique, quoted strings close with every quote escaped, HTML-like labels are well-formed XML.
/// </summary>
internal sealed partial class DotStructure
{
    public Dictionary<string, string> Nodes { get; } = [];
    public List<(string From, string To, string Value, string? Gradient)> Edges { get; } = [];

    [GeneratedRegex(@"^  ([A-Za-z_][A-Za-z0-9_]*) \[label=(""(?:[^""\\]|\\.)*""), (.*)\];$")]
    private static partial Regex NodeLine();

    [GeneratedRegex(@"^  ([A-Za-z_][A-Za-z0-9_]*) -> ([A-Za-z_][A-Za-z0-9_]*) \[label=<(.*)>\];$")]
    private static partial Regex EdgeLine();

    public static DotStructure Parse(string dot)
    {
        var lines = dot.Replace("\r", "").TrimEnd('\n').Split('\n');
        Assert.Equal("digraph computational_graph {", lines[0]);
        Assert.Equal("}", lines[^1]);
        var result = new DotStructure();
        foreach (var line in lines[1..^1])
        {
            if (NodeLine().Match(line) is { Success: true } n)
            {
                Assert.True(result.Nodes.TryAdd(n.Groups[1].Value, Unquote(n.Groups[2].Value)), $"duplicate node id {n.Groups[1].Value}");
                Assert.DoesNotContain("\"", Regex.Replace(n.Groups[3].Value, @"""[^""\\]*""", ""));
            }
            else if (EdgeLine().Match(line) is { Success: true } e)
            {
                var table = XElement.Parse(e.Groups[3].Value); // throws unless the label is well-formed
                var cells = table.Descendants("td").ToList();
                string? gradient = cells.Count > 1 ? cells[1].Value : null;
                if (gradient is not null) Assert.Equal("red", cells[1].Element("font")!.Attribute("color")!.Value);
                result.Edges.Add((e.Groups[1].Value, e.Groups[2].Value, cells[0].Value, gradient));
            }
            else
            {
                Assert.Matches(@"^  (rankdir|nodesep|node \[|edge \[)", line);
            }
        }
        foreach (var (from, to, _, _) in result.Edges)
        {
            Assert.Contains(from, result.Nodes.Keys);
            Assert.Contains(to, result.Nodes.Keys);
        }
        return result;
    }

    private static string Unquote(string quoted) =>
        Regex.Replace(quoted[1..^1], @"\\(.)", m => m.Groups[1].Value == "n" ? "\n" : m.Groups[1].Value);
}
