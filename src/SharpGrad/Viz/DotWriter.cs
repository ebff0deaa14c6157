using System.Text;

namespace SharpGrad.Viz;

/// <summary>
/// Writes a <see cref="ComputationGraph"/> as Graphviz DOT, left to right: operations as circles, leaves and the
/// output as plain labels, every edge labelled with its value above and its gradient (red) below.
/// </summary>
internal static class DotWriter
{
    public static string Write(ComputationGraph graph)
    {
        var sb = new StringBuilder();
        sb.AppendLine("digraph computational_graph {");
        sb.AppendLine("  rankdir=LR;");
        sb.AppendLine("  nodesep=0.5; ranksep=1.1;");
        sb.AppendLine("  node [fontname=\"Helvetica\", fontsize=14];");
        sb.AppendLine("  edge [fontname=\"Helvetica\", fontsize=12, arrowsize=0.7];");
        foreach (var v in graph.Vertices)
        {
            string attributes = v.Kind switch
            {
                GraphVertexKind.Operation => "shape=circle, width=0.5, style=filled, fillcolor=\"#f4f4f4\"",
                GraphVertexKind.Constant => "shape=plaintext, fontcolor=\"#555555\"",
                _ => "shape=plaintext",
            };
            sb.Append("  ").Append(v.Id).Append(" [label=").Append(Quote(v.Label)).Append(", ").Append(attributes).AppendLine("];");
        }
        foreach (var e in graph.Edges)
        {
            sb.Append("  ").Append(e.From.Id).Append(" -> ").Append(e.To.Id).Append(" [label=<").Append(EdgeLabel(e)).AppendLine(">];");
        }
        sb.AppendLine("}");
        return sb.ToString();
    }

    /// <summary>An HTML-like label: the value on the first row, the gradient in red on the second.</summary>
    private static string EdgeLabel(GraphEdge e)
    {
        var sb = new StringBuilder("<table border=\"0\" cellborder=\"0\" cellspacing=\"0\" cellpadding=\"1\">");
        sb.Append("<tr><td>").Append(Html(e.ValueLabel)).Append("</td></tr>");
        if (e.GradientLabel is not null)
            sb.Append("<tr><td><font color=\"red\">").Append(Html(e.GradientLabel)).Append("</font></td></tr>");
        return sb.Append("</table>").ToString();
    }

    /// <summary>A DOT quoted string: backslashes and quotes escaped, line breaks as \n.</summary>
    internal static string Quote(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (char c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': break;
                default: sb.Append(char.IsControl(c) ? ' ' : c); break;
            }
        }
        return sb.Append('"').ToString();
    }

    /// <summary>Text for an HTML-like label or an SVG document: markup characters as entities, a carriage return dropped and other control characters (line breaks, tabs) as spaces, so words stay apart.</summary>
    internal static string Html(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (char c in s)
        {
            switch (c)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '"': sb.Append("&quot;"); break;
                case '\'': sb.Append("&#39;"); break;
                case '\r': break;
                default: sb.Append(char.IsControl(c) ? ' ' : c); break; // a line break or tab separates words, as in the DOT label
            }
        }
        return sb.ToString();
    }
}
