namespace SharpGrad.Viz;

/// <summary>Where a vertex is drawn: its centre and its half width and half height.</summary>
internal readonly record struct Box(double X, double Y, double HalfWidth, double HalfHeight);

/// <summary>Where an edge is drawn: a polyline from the producer's border to the consumer's, and where its labels are centred.</summary>
/// <param name="Edge">The edge.</param>
/// <param name="Points">The polyline.</param>
/// <param name="LabelX">The horizontal centre of the labels.</param>
/// <param name="LabelY">The height of the line under the labels' centre.</param>
/// <param name="LabelSlope">dy/dx of the line there (y grows downward), to set the labels clear of it.</param>
/// <param name="OuterSide">For parallel edges bent apart: −1 for one bent upwards, +1 downwards (its labels then both go on
/// that outer side, since between the twins there is no room for them); 0 otherwise.</param>
internal sealed record EdgeRoute(GraphEdge Edge, IReadOnlyList<(double X, double Y)> Points, double LabelX, double LabelY, double LabelSlope, int OuterSide = 0);

/// <summary>
/// A small layered (Sugiyama-style) layout, left to right: every operation one column right of its deepest
/// operation input, leaves one column left of their first consumer, the output at the far right. Edges spanning
/// several columns pass through invisible waypoints; rows are ordered by a depth-first walk from the output
/// (so trees are drawn without crossings) refined by barycentre sweeps, then each vertex is pulled toward the
/// mean height of its neighbours while keeping its order and a minimum gap.
/// </summary>
internal sealed class LayeredLayout
{
    public const double CharWidth = 7.4;   // average advance of the 13 px sans-serif used for labels
    private const double MinGap = 80, RowGap = 64, Margin = 24, ParallelGap = 52, LabelAt = 0.42;

    private sealed class Item(GraphVertex? vertex, double halfWidth, double halfHeight)
    {
        public GraphVertex? Vertex { get; } = vertex;
        public double HalfWidth { get; } = halfWidth;
        public double HalfHeight { get; } = halfHeight;
        public int Layer;
        public double Order;
        public double Y;
        public List<Item> Left { get; } = [];
        public List<Item> Right { get; } = [];
    }

    public Dictionary<GraphVertex, Box> Boxes { get; } = new(ReferenceEqualityComparer.Instance);
    public List<EdgeRoute> Routes { get; } = [];
    public double Width { get; private set; }
    public double Height { get; private set; }

    public static double TextWidth(string s) => s.Length * CharWidth;

    public static double CircleRadius(string label) => Math.Max(20, TextWidth(label) / 2 + 8);

    public LayeredLayout(ComputationGraph graph)
    {
        var items = new Dictionary<GraphVertex, Item>(ReferenceEqualityComparer.Instance);
        foreach (var v in graph.Vertices)
        {
            double r = CircleRadius(v.Label);
            items[v] = v.Kind == GraphVertexKind.Operation ? new Item(v, r, r) : new Item(v, TextWidth(v.Label) / 2 + 2, 10);
        }
        AssignLayers(graph, items);

        // Waypoints for edges that span more than one column.
        var chains = new List<(GraphEdge Edge, List<Item> Chain)>();
        var all = items.Values.ToList();
        foreach (var e in graph.Edges)
        {
            Item from = items[e.From], to = items[e.To];
            var chain = new List<Item> { from };
            for (int layer = from.Layer + 1; layer < to.Layer; layer++)
            {
                var dummy = new Item(null, 0, 0) { Layer = layer };
                all.Add(dummy);
                chain.Add(dummy);
            }
            chain.Add(to);
            for (int k = 0; k + 1 < chain.Count; k++)
            {
                chain[k].Right.Add(chain[k + 1]);
                chain[k + 1].Left.Add(chain[k]);
            }
            chains.Add((e, chain));
        }

        int layers = all.Max(i => i.Layer) + 1;
        var rows = Enumerable.Range(0, layers).Select(l => new List<Item>()).ToArray();
        OrderRows(items[graph.Vertices[^1]], all, rows);
        PlaceRows(rows);
        var columnX = ColumnPositions(rows, chains);

        double minY = all.Min(i => i.Y - i.HalfHeight) - Margin - 18; // room for the top edge's value label
        double maxY = all.Max(i => i.Y + i.HalfHeight) + Margin + 18;
        foreach (var (v, item) in items)
            Boxes[v] = new Box(columnX[item.Layer], item.Y - minY, item.HalfWidth, item.HalfHeight);
        foreach (var (edge, chain) in chains)
        {
            var points = new List<(double, double)>();
            for (int k = 0; k < chain.Count; k++)
            {
                var it = chain[k];
                double x = columnX[it.Layer], y = it.Y - minY;
                if (k == 0) x += it.HalfWidth + (it.Vertex!.Kind == GraphVertexKind.Operation ? 0 : 4);
                if (k == chain.Count - 1) x -= it.HalfWidth + (it.Vertex!.Kind == GraphVertexKind.Operation ? 0 : 4);
                points.Add((x, y));
            }
            Routes.Add(Route(edge, ClipToCircles(points, chain), chains));
        }
        Width = columnX[^1] + rows[^1].Max(i => i.HalfWidth) + Margin;
        Height = maxY - minY;
    }

    private static void AssignLayers(ComputationGraph graph, Dictionary<GraphVertex, Item> items)
    {
        // Operations in forward order: one column right of the deepest operation feeding them.
        foreach (var v in graph.Vertices.Where(v => v.Kind == GraphVertexKind.Operation))
            items[v].Layer = 1 + graph.Edges.Where(e => e.To == v && e.From.Kind == GraphVertexKind.Operation)
                .Select(e => items[e.From].Layer).DefaultIfEmpty(0).Max();
        var output = graph.Vertices[^1];
        var rootEdge = graph.Edges[^1];
        foreach (var v in graph.Vertices.Where(v => v.Kind is GraphVertexKind.Input or GraphVertexKind.Constant))
        {
            var consumers = graph.Edges.Where(e => e.From == v && e.To.Kind == GraphVertexKind.Operation).Select(e => items[e.To].Layer).ToList();
            items[v].Layer = consumers.Count > 0 ? consumers.Min() - 1 : 0;
        }
        items[output].Layer = items[rootEdge.From].Layer + 1;
    }

    /// <summary>Depth-first from the output, inputs in order, gives each row its first order; barycentre sweeps then reduce crossings.</summary>
    private static void OrderRows(Item output, List<Item> all, List<Item>[] rows)
    {
        var seen = new HashSet<Item>();
        var counter = 0;
        var stack = new Stack<Item>();
        stack.Push(output);
        while (stack.Count > 0)
        {
            var it = stack.Pop();
            if (!seen.Add(it)) continue;
            it.Order = counter++;
            for (int k = it.Left.Count - 1; k >= 0; k--) stack.Push(it.Left[k]);
        }
        foreach (var it in all)
        {
            if (!seen.Contains(it)) it.Order = counter++;
            rows[it.Layer].Add(it);
        }
        foreach (var row in rows) Sort(row, it => it.Order);

        int best = Crossings(rows);
        var bestOrder = rows.Select(r => r.ToList()).ToArray();
        for (int sweep = 0; sweep < 6 && best > 0; sweep++)
        {
            bool leftward = sweep % 2 == 0;
            for (int k = 0; k < rows.Length; k++)
            {
                var row = rows[leftward ? rows.Length - 1 - k : k];
                Sort(row, it => Barycentre(leftward ? it.Right : it.Left, it.Order));
                for (int i = 0; i < row.Count; i++) row[i].Order = i;
            }
            int c = Crossings(rows);
            if (c < best) { best = c; bestOrder = rows.Select(r => r.ToList()).ToArray(); }
        }
        for (int l = 0; l < rows.Length; l++)
        {
            rows[l].Clear();
            rows[l].AddRange(bestOrder[l]);
            for (int i = 0; i < rows[l].Count; i++) rows[l][i].Order = i;
        }
    }

    private static double Barycentre(List<Item> neighbours, double fallback) =>
        neighbours.Count == 0 ? fallback : neighbours.Average(n => n.Order);

    private static void Sort(List<Item> row, Func<Item, double> key)
    {
        var sorted = row.Select((it, i) => (it, i)).OrderBy(p => key(p.it)).ThenBy(p => p.i).Select(p => p.it).ToList();
        row.Clear();
        row.AddRange(sorted);
        for (int i = 0; i < row.Count; i++) row[i].Order = i;
    }

    private static int Crossings(List<Item>[] rows)
    {
        int count = 0;
        foreach (var row in rows)
        {
            var segments = row.SelectMany(a => a.Right.Select(b => (a.Order, b.Order))).ToList();
            for (int i = 0; i < segments.Count; i++)
                for (int j = i + 1; j < segments.Count; j++)
                    if ((segments[i].Item1 - segments[j].Item1) * (segments[i].Item2 - segments[j].Item2) < 0) count++;
        }
        return count;
    }

    /// <summary>Stacks each row, then pulls every vertex toward its neighbours' mean height, keeping order and gaps.</summary>
    private static void PlaceRows(List<Item>[] rows)
    {
        foreach (var row in rows)
        {
            double y = 0;
            for (int i = 0; i < row.Count; i++)
            {
                if (i > 0) y += Separation(row[i - 1], row[i]);
                row[i].Y = y;
            }
        }
        for (int pass = 0; pass < 24; pass++)
        {
            bool leftward = pass % 2 == 0;
            for (int k = 0; k < rows.Length; k++)
            {
                var row = rows[leftward ? rows.Length - 1 - k : k];
                var wanted = row.Select(it =>
                {
                    var n = it.Left.Concat(it.Right).ToList();
                    var primary = leftward ? it.Right : it.Left;
                    if (primary.Count > 0) n = primary;
                    return n.Count == 0 ? it.Y : n.Average(m => m.Y);
                }).ToArray();
                Resolve(row, wanted);
            }
        }
    }

    /// <summary>Places a row as near as possible to the wanted heights, in order, at least the separation apart.</summary>
    private static void Resolve(List<Item> row, double[] wanted)
    {
        // Forward pass pushes down, backward pass pulls up; averaging them keeps the row centred on what it wants.
        var down = new double[row.Count];
        var up = new double[row.Count];
        for (int i = 0; i < row.Count; i++)
            down[i] = i == 0 ? wanted[i] : Math.Max(wanted[i], down[i - 1] + Separation(row[i - 1], row[i]));
        for (int i = row.Count - 1; i >= 0; i--)
            up[i] = i == row.Count - 1 ? wanted[i] : Math.Min(wanted[i], up[i + 1] - Separation(row[i], row[i + 1]));
        for (int i = 0; i < row.Count; i++) row[i].Y = (down[i] + up[i]) / 2;
        for (int i = 1; i < row.Count; i++)
            row[i].Y = Math.Max(row[i].Y, row[i - 1].Y + Separation(row[i - 1], row[i]));
    }

    private static double Separation(Item a, Item b) => a.HalfHeight + b.HalfHeight + RowGap;

    /// <summary>Column centres: wide enough for the widest vertex and for the labels of the edges between columns.</summary>
    private static double[] ColumnPositions(List<Item>[] rows, List<(GraphEdge Edge, List<Item> Chain)> chains)
    {
        var gaps = new double[rows.Length];
        Array.Fill(gaps, MinGap);
        foreach (var (edge, chain) in chains)
        {
            double width = Math.Max(TextWidth(edge.ValueLabel), TextWidth(edge.GradientLabel ?? ""));
            for (int k = 0; k + 1 < chain.Count; k++) // the labels may sit on any stretch of the edge
                gaps[chain[k].Layer] = Math.Max(gaps[chain[k].Layer], width + 28);
        }
        // A vertex feeding many others needs room for its fan of edges to spread before their labels.
        foreach (var row in rows)
            foreach (var it in row)
                gaps[it.Layer] = Math.Max(gaps[it.Layer], MinGap + 30 * (it.Right.Count - 1));
        var x = new double[rows.Length];
        double prevHalf = 0;
        for (int l = 0; l < rows.Length; l++)
        {
            double half = rows[l].Count == 0 ? 0 : rows[l].Max(i => i.HalfWidth);
            x[l] = l == 0 ? Margin + half : x[l - 1] + prevHalf + gaps[l - 1] + half;
            prevHalf = half;
        }
        return x;
    }

    /// <summary>
    /// Labels go on the last segment, a little before its middle (edges converging on one node are further apart
    /// there). Parallel edges between the same two vertices (x · x) bend apart, with their labels at the bend.
    /// </summary>
    private static EdgeRoute Route(GraphEdge edge, List<(double X, double Y)> points, List<(GraphEdge Edge, List<Item> Chain)> chains)
    {
        var twins = chains.Where(c => c.Edge.From == edge.From && c.Edge.To == edge.To).Select(c => c.Edge).ToList();
        var (a, b) = (points[^2], points[^1]);
        // Where edges fan out of one vertex they are further apart near their targets, so the labels go there.
        int fanOut = chains.Count(c => c.Edge.From == edge.From), fanIn = chains.Count(c => c.Edge.To == edge.To);
        double at = fanOut > fanIn ? 1 - LabelAt : LabelAt;
        if (twins.Count > 1)
        {
            double offset = (twins.IndexOf(edge) - (twins.Count - 1) / 2.0) * ParallelGap;
            var bend = (a.X + (b.X - a.X) * at, a.Y + (b.Y - a.Y) * at + offset);
            points.Insert(points.Count - 1, bend);
            return new EdgeRoute(edge, points, bend.Item1, bend.Item2, 0, Math.Sign(offset));
        }
        if (points.Count > 2)
        {
            // A long edge carries its labels on its flattest stretch, where they read as belonging to it.
            int k = Enumerable.Range(0, points.Count - 1).OrderBy(i => Slope(points[i], points[i + 1])).ThenByDescending(i => i).First();
            (a, b) = (points[k], points[k + 1]);
            return new EdgeRoute(edge, points, (a.X + b.X) / 2, (a.Y + b.Y) / 2, SignedSlope(a, b));
        }
        return new EdgeRoute(edge, points, a.X + (b.X - a.X) * at, a.Y + (b.Y - a.Y) * at, SignedSlope(a, b));
    }

    private static double SignedSlope((double X, double Y) a, (double X, double Y) b) => b.X == a.X ? 0 : (b.Y - a.Y) / (b.X - a.X);

    private static double Slope((double X, double Y) a, (double X, double Y) b) => b.X == a.X ? 1e9 : Math.Abs((b.Y - a.Y) / (b.X - a.X));

    /// <summary>Moves the ends of a polyline from a circle's centre-line to its rim, along the first and last segments.</summary>
    private static List<(double X, double Y)> ClipToCircles(List<(double X, double Y)> points, List<Item> chain)
    {
        var first = chain[0];
        var last = chain[^1];
        if (first.Vertex!.Kind == GraphVertexKind.Operation)
            points[0] = Rim(points[0].X - first.HalfWidth, points[0].Y, points[1], first.HalfWidth);
        if (last.Vertex!.Kind == GraphVertexKind.Operation)
            points[^1] = Rim(points[^1].X + last.HalfWidth, points[^1].Y, points[^2], last.HalfWidth);
        return points;
    }

    private static (double, double) Rim(double cx, double cy, (double X, double Y) toward, double r)
    {
        double dx = toward.X - cx, dy = toward.Y - cy, d = Math.Sqrt(dx * dx + dy * dy);
        return d == 0 ? (cx + r, cy) : (cx + dx / d * r, cy + dy / d * r);
    }
}
