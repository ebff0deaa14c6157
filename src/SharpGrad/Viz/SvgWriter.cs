using System.Globalization;
using System.Text;
using LabelRect = (double Left, double Top, double Right, double Bottom); // a label's box

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
        var segments = layout.Routes.SelectMany(r => r.Points.Zip(r.Points.Skip(1))).ToList();
        var placed = new List<LabelRect>();
        foreach (var route in layout.Routes) AppendEdge(sb, route, segments, placed);
        foreach (var v in graph.Vertices) AppendVertex(sb, v, layout.Boxes[v]);
        sb.Append("</svg>\n");
        return sb.ToString();
    }

    private static void AppendEdge(StringBuilder sb, EdgeRoute route, List<((double X, double Y), (double X, double Y))> segments,
        List<LabelRect> placed)
    {
        var p = route.Points;
        var e = route.Edge;
        sb.Append(CultureInfo.InvariantCulture, $"<g id=\"{e.From.Id}-{e.To.Id}-{e.InputIndex}\"><path d=\"M{N(p[0].X)},{N(p[0].Y)}");
        for (int i = 1; i < p.Count; i++) sb.Append(CultureInfo.InvariantCulture, $" L{N(p[i].X)},{N(p[i].Y)}");
        sb.Append(CultureInfo.InvariantCulture, $"\" fill=\"none\" stroke=\"{Ink}\" stroke-width=\"1.3\" marker-end=\"url(#arrow)\"/>");

        // Value above the line, gradient below. A flat line gets them centred over and under it; a sloping one
        // gets them beside it on either side, anchored at the end nearest the line. Either way each label is then
        // moved away from the line until its box keeps Clearance from every edge, so no edge crosses a label.
        double mx = route.LabelX, my = route.LabelY, slope = route.LabelSlope;
        if (route.OuterSide != 0)
        {
            // A bent twin (x · x): value then gradient, both on the outer side of the bend, away from the other twin.
            int side = route.OuterSide;
            // Baselines: a label's box reaches 11 above and 3.5 below it, and must keep Clearance from the bend.
            double valueY = side < 0 ? my - 8 - (e.GradientLabel is null ? 0 : 16) : my + 16;
            AppendClearLabel(sb, segments, placed, mx, valueY, 0, side, "middle", Ink, e.ValueLabel);
            if (e.GradientLabel is not null) AppendClearLabel(sb, segments, placed, mx, side < 0 ? my - 8 : my + 32, 0, side, "middle", GradientColor, e.GradientLabel);
        }
        else if (Math.Abs(slope) < 0.2)
        {
            double Lift(string label) => 5 + Math.Abs(slope) * LayeredLayout.TextWidth(label) / 2;
            AppendClearLabel(sb, segments, placed, mx, my - Lift(e.ValueLabel), 0, -1, "middle", Ink, e.ValueLabel);
            if (e.GradientLabel is not null) AppendClearLabel(sb, segments, placed, mx, my + Lift(e.GradientLabel) + 10, 0, 1, "middle", GradientColor, e.GradientLabel);
        }
        else
        {
            double length = Math.Sqrt(1 + slope * slope);
            double nx = slope / length, ny = -1 / length; // the normal on the upper side of the line
            const double d = 7;
            AppendClearLabel(sb, segments, placed, mx + nx * d, my + ny * d, nx, ny, nx > 0 ? "start" : "end", Ink, e.ValueLabel);
            if (e.GradientLabel is not null) AppendClearLabel(sb, segments, placed, mx - nx * d, my - ny * d + 10, -nx, -ny, nx > 0 ? "end" : "start", GradientColor, e.GradientLabel);
        }
        sb.Append("</g>\n");
    }

    /// <summary>The gap kept between an edge label's box and any edge, in pixels.</summary>
    internal const double Clearance = 4;

    /// <summary>The box a 13 px edge label occupies: ascent and descent generous enough for common sans-serif fonts.</summary>
    internal static LabelRect LabelBox(double x, double baseline, string anchor, string text)
    {
        double w = LayeredLayout.TextWidth(text);
        double left = anchor switch { "start" => x, "end" => x - w, _ => x - w / 2 };
        return (left, baseline - 11, left + w, baseline + 3.5);
    }

    /// <summary>The distance between a segment and a box, 0 when they touch or cross.</summary>
    internal static double Distance(((double X, double Y) A, (double X, double Y) B) s, LabelRect box)
    {
        bool Inside((double X, double Y) p) => p.X >= box.Left && p.X <= box.Right && p.Y >= box.Top && p.Y <= box.Bottom;
        if (Inside(s.A) || Inside(s.B)) return 0;
        (double X, double Y)[] corners = [(box.Left, box.Top), (box.Right, box.Top), (box.Right, box.Bottom), (box.Left, box.Bottom)];
        double best = double.MaxValue;
        for (int i = 0; i < 4; i++)
        {
            var (c, d) = (corners[i], corners[(i + 1) % 4]);
            if (Cross(s.A, s.B, c, d)) return 0;
            best = Math.Min(best, Math.Min(PointToSegment(c, s.A, s.B), Math.Min(PointToSegment(s.A, c, d), PointToSegment(s.B, c, d))));
        }
        return best;
    }

    private static double PointToSegment((double X, double Y) p, (double X, double Y) a, (double X, double Y) b)
    {
        double dx = b.X - a.X, dy = b.Y - a.Y, len2 = dx * dx + dy * dy;
        double t = len2 == 0 ? 0 : Math.Clamp(((p.X - a.X) * dx + (p.Y - a.Y) * dy) / len2, 0, 1);
        double ex = a.X + t * dx - p.X, ey = a.Y + t * dy - p.Y;
        return Math.Sqrt(ex * ex + ey * ey);
    }

    private static bool Cross((double X, double Y) a, (double X, double Y) b, (double X, double Y) c, (double X, double Y) d)
    {
        static double Side((double X, double Y) p, (double X, double Y) q, (double X, double Y) r) => (q.X - p.X) * (r.Y - p.Y) - (q.Y - p.Y) * (r.X - p.X);
        return Side(a, b, c) * Side(a, b, d) < 0 && Side(c, d, a) * Side(c, d, b) < 0;
    }

    /// <summary>Whether two label boxes come within <paramref name="gap"/> of each other.</summary>
    internal static bool Overlap(LabelRect a, LabelRect b, double gap) =>
        a.Left < b.Right + gap && b.Left < a.Right + gap && a.Top < b.Bottom + gap && b.Top < a.Bottom + gap;

    /// <summary>
    /// Writes a label at (x, y), first stepping it along (dx, dy), away from its edge, until no edge comes within
    /// <see cref="Clearance"/> and it overlaps no label already placed (another edge's value or gradient).
    /// </summary>
    private static void AppendClearLabel(StringBuilder sb, List<((double X, double Y), (double X, double Y))> segments,
        List<LabelRect> placed,
        double x, double y, double dx, double dy, string anchor, string color, string label)
    {
        bool ClearOfEdges(double px, double py) => !segments.Any(s => Distance(s, LabelBox(px, py, anchor, label)) < Clearance);
        bool ClearOfLabels(double px, double py) => !placed.Any(b => Overlap(b, LabelBox(px, py, anchor, label), 1));
        for (int step = 0; step < 12 && !ClearOfEdges(x, y); step++)
        {
            x += dx * 2;
            y += dy * 2;
        }
        // Still on another label: keep stepping away from the edge (further, since labels are wider than lines) while
        // that keeps clear of the edges; if no such place is near, the first one clear of the edges stays.
        if (!ClearOfLabels(x, y))
        {
            for (int step = 1; step <= 30; step++)
            {
                double nx = x + dx * 2 * step, ny = y + dy * 2 * step;
                if (ClearOfLabels(nx, ny) && ClearOfEdges(nx, ny))
                {
                    (x, y) = (nx, ny);
                    break;
                }
            }
        }
        placed.Add(LabelBox(x, y, anchor, label));
        AppendLabel(sb, x, y, anchor, color, DotWriter.Html(label));
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
