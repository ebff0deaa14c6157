using System.Globalization;
using System.Text;

namespace SharpGrad.Viz;

/// <summary>
/// Draws a <see cref="ComputationGraph"/> as a standalone SVG document with <see cref="LayeredLayout"/>: operation
/// circles, input labels at the left, and on every edge its value above and its gradient (red) below.
/// </summary>
internal static class SvgWriter
{
    private const string Ink = "#222222", GradientColor = "#d01c1c", ConstantColor = "#666666";

    public static string Write(ComputationGraph graph)
    {
        var layout = new LayeredLayout(graph);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{N(layout.Width)}\" height=\"{N(layout.Height)}\" viewBox=\"0 0 {N(layout.Width)} {N(layout.Height)}\" font-family=\"Helvetica, Arial, sans-serif\">\n");
        sb.Append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\">")
          .Append(CultureInfo.InvariantCulture, $"<path d=\"M0,0 L10,5 L0,10 z\" fill=\"{Ink}\"/></marker></defs>\n");
        sb.Append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        foreach (var route in layout.Routes) AppendEdge(sb, route);
        foreach (var v in graph.Vertices) AppendVertex(sb, v, layout.Boxes[v]);
        sb.Append("</svg>\n");
        return sb.ToString();
    }

    private static void AppendEdge(StringBuilder sb, EdgeRoute route)
    {
        var p = route.Points;
        var e = route.Edge;
        sb.Append(CultureInfo.InvariantCulture, $"<g id=\"{e.From.Id}-{e.To.Id}-{e.InputIndex}\"><path d=\"M{N(p[0].X)},{N(p[0].Y)}");
        for (int i = 1; i < p.Count; i++) sb.Append(CultureInfo.InvariantCulture, $" L{N(p[i].X)},{N(p[i].Y)}");
        sb.Append(CultureInfo.InvariantCulture, $"\" fill=\"none\" stroke=\"{Ink}\" stroke-width=\"1.3\" marker-end=\"url(#arrow)\"/>");

        // Value above the line, gradient below. A flat line gets them centred over and under it; a sloping one
        // gets them beside it on either side, anchored at the end nearest the line, so they never sit on it.
        double mx = route.LabelX, my = route.LabelY, slope = route.LabelSlope;
        string valueText = DotWriter.Html(e.ValueLabel), gradientText = DotWriter.Html(e.GradientLabel ?? "");
        if (Math.Abs(slope) < 0.2)
        {
            double Lift(string label) => 5 + Math.Abs(slope) * LayeredLayout.TextWidth(label) / 2;
            AppendLabel(sb, mx, my - Lift(e.ValueLabel), "middle", Ink, valueText);
            if (e.GradientLabel is not null) AppendLabel(sb, mx, my + Lift(e.GradientLabel) + 10, "middle", GradientColor, gradientText);
        }
        else
        {
            double length = Math.Sqrt(1 + slope * slope);
            double nx = slope / length, ny = -1 / length; // the normal on the upper side of the line
            const double d = 7;
            AppendLabel(sb, mx + nx * d, my + ny * d, nx > 0 ? "start" : "end", Ink, valueText);
            if (e.GradientLabel is not null) AppendLabel(sb, mx - nx * d, my - ny * d + 10, nx > 0 ? "end" : "start", GradientColor, gradientText);
        }
        sb.Append("</g>\n");
    }

    private static void AppendLabel(StringBuilder sb, double x, double y, string anchor, string color, string text) =>
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(x)}\" y=\"{N(y)}\" text-anchor=\"{anchor}\" font-size=\"13\" fill=\"{color}\">{text}</text>");

    private static void AppendVertex(StringBuilder sb, GraphVertex v, Box box)
    {
        string label = DotWriter.Html(v.Label);
        sb.Append(CultureInfo.InvariantCulture, $"<g id=\"{v.Id}\">");
        if (v.Kind == GraphVertexKind.Operation)
        {
            string title = v.Node is { } node ? DotWriter.Html(node.Rule) : "";
            sb.Append(CultureInfo.InvariantCulture, $"<title>{title}</title>")
              .Append(CultureInfo.InvariantCulture, $"<circle cx=\"{N(box.X)}\" cy=\"{N(box.Y)}\" r=\"{N(box.HalfWidth)}\" fill=\"#f4f4f4\" stroke=\"{Ink}\" stroke-width=\"1.5\"/>")
              .Append(CultureInfo.InvariantCulture, $"<text x=\"{N(box.X)}\" y=\"{N(box.Y + (v.Label.Length == 1 ? 7 : 5))}\" text-anchor=\"middle\" font-size=\"{(v.Label.Length == 1 ? 20 : 15)}\" fill=\"{Ink}\">{label}</text>");
        }
        else
        {
            string color = v.Kind == GraphVertexKind.Constant ? ConstantColor : Ink;
            string weight = v.Kind == GraphVertexKind.Output ? " font-weight=\"bold\"" : "";
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(box.X)}\" y=\"{N(box.Y + 5)}\" text-anchor=\"middle\" font-size=\"14\" fill=\"{color}\"{weight}>{label}</text>");
        }
        sb.Append("</g>\n");
    }

    private static string N(double v) => Math.Round(v, 1).ToString("0.#", CultureInfo.InvariantCulture);
}
