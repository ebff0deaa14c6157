using System.Globalization;

namespace SharpGrad.Viz;

/// <summary>What a vertex of a drawn graph stands for.</summary>
public enum GraphVertexKind
{
    /// <summary>An operation node, drawn as a circle labelled with its operator.</summary>
    Operation,

    /// <summary>A leaf tensor that requires gradients (an input or parameter), drawn as a label at the left.</summary>
    Input,

    /// <summary>A leaf tensor that does not require gradients (a constant), drawn as its value.</summary>
    Constant,

    /// <summary>The output, drawn as a label at the right.</summary>
    Output,
}

/// <summary>A vertex of a drawn graph.</summary>
/// <param name="Id">A deterministic identifier, unique within the graph ("x0", "op3", "out").</param>
/// <param name="Kind">What the vertex stands for.</param>
/// <param name="Label">The text drawn: the operator symbol, the input's name, or the constant's value.</param>
/// <param name="Node">The operation node, for <see cref="GraphVertexKind.Operation"/>.</param>
/// <param name="Tensor">The leaf tensor, for inputs and constants; the root, for the output.</param>
public sealed record GraphVertex(string Id, GraphVertexKind Kind, string Label, Node? Node, Tensor? Tensor);

/// <summary>An edge of a drawn graph: a tensor flowing forward from its producer to a consumer.</summary>
/// <param name="From">The producer: an input, a constant or an operation.</param>
/// <param name="To">The consumer: an operation, or the output.</param>
/// <param name="InputIndex">The position of the tensor among the consumer's inputs (0 for the output edge).</param>
/// <param name="Tensor">The tensor carried.</param>
/// <param name="Gradient">The gradient carried backward along this edge, or null when unknown.</param>
/// <param name="ValueLabel">The forward text: its value for a one-element tensor, else its shape; prefixed by the name of a named intermediate.</param>
/// <param name="GradientLabel">The gradient text, or null.</param>
public sealed record GraphEdge(GraphVertex From, GraphVertex To, int InputIndex, Tensor Tensor, Tensor? Gradient, string ValueLabel, string? GradientLabel);

/// <summary>
/// The picture of a computational graph before it is laid out: operation nodes, the leaves feeding them and the
/// output, with the forward value and the gradient of every edge. Built by <see cref="Build"/>; drawn by
/// <see cref="GraphExport"/>.
/// </summary>
public sealed class ComputationGraph
{
    private ComputationGraph(List<GraphVertex> vertices, List<GraphEdge> edges)
    {
        Vertices = vertices;
        Edges = edges;
    }

    /// <summary>The vertices: leaves and operations in forward order, then the output.</summary>
    public IReadOnlyList<GraphVertex> Vertices { get; }

    /// <summary>The edges, in forward order of their consumers, then by input position.</summary>
    public IReadOnlyList<GraphEdge> Edges { get; }

    /// <summary>
    /// Collects the graph that produced <paramref name="root"/>. Vertices are distinct objects: two tensors or nodes
    /// are never merged because their names or values are equal, and a tensor used twice is one vertex with two edges.
    /// </summary>
    /// <param name="root">The output tensor.</param>
    /// <param name="options">Drawing options (null for the defaults).</param>
    /// <returns>The graph.</returns>
    public static ComputationGraph Build(Tensor root, GraphExportOptions? options = null)
    {
        options ??= new GraphExportOptions();
        var nodes = Autograd.TopologicalOrder(root);
        nodes.Reverse(); // forward order: producers before consumers
        var vertices = new List<GraphVertex>();
        var edges = new List<GraphEdge>();
        var opVertex = new Dictionary<Node, GraphVertex>(ReferenceEqualityComparer.Instance);
        var leafVertex = new Dictionary<Tensor, GraphVertex>(ReferenceEqualityComparer.Instance);
        int leaves = 0;

        GraphVertex Producer(Tensor t)
        {
            if (t.Creator is { } c) return opVertex[c];
            if (!leafVertex.TryGetValue(t, out var v))
            {
                bool input = t.RequiresGrad;
                string label = input ? t.Name ?? $"x{leaves}" : t.Name ?? ValueText(t, options.SignificantDigits);
                v = new GraphVertex($"x{leaves++}", input ? GraphVertexKind.Input : GraphVertexKind.Constant, label, null, t);
                leafVertex[t] = v;
                vertices.Add(v);
            }
            return v;
        }

        var pendingEdges = new List<(Tensor, GraphVertex, int, Tensor?)>();
        for (int k = 0; k < nodes.Count; k++)
        {
            var node = nodes[k];
            foreach (var input in node.Inputs) Producer(input); // leaves get ids in the order they are first used
            var v = new GraphVertex($"op{k}", GraphVertexKind.Operation, OperatorLabel(node, options.SignificantDigits), node, null);
            opVertex[node] = v;
            vertices.Add(v);
            for (int i = 0; i < node.Inputs.Count; i++)
            {
                var input = node.Inputs[i];
                var gradient = options.Trace is { } trace ? trace.EdgeGradient(node, i) : input.Grad;
                pendingEdges.Add((input, v, i, gradient));
            }
        }
        Producer(root); // a root that is itself a leaf still needs its vertex
        var output = new GraphVertex("out", GraphVertexKind.Output, root.Name ?? options.OutputLabel, null, root);
        vertices.Add(output);
        pendingEdges.Add((root, output, 0, options.Trace is { } t0 ? t0.Seed : root.Grad));

        foreach (var (tensor, to, index, gradient) in pendingEdges)
        {
            var from = Producer(tensor);
            bool named = tensor.Creator is not null && tensor.Name is not null && to.Kind != GraphVertexKind.Output;
            string value = ValueText(tensor, options.SignificantDigits);
            string valueLabel = named ? $"{tensor.Name} = {value}" : value;
            string? gradLabel = options.ShowGradients && gradient is not null ? GradientText(gradient, options.SignificantDigits) : null;
            edges.Add(new GraphEdge(from, to, index, tensor, gradient, valueLabel, gradLabel));
        }
        return new ComputationGraph(vertices, edges);
    }

    /// <summary>The operator drawn in a node's circle: its <see cref="Node.Symbol"/>, with a power's constant exponent ("^2").</summary>
    /// <param name="node">The operation node.</param>
    /// <param name="digits">Significant digits of a constant shown in the label.</param>
    /// <returns>The label.</returns>
    public static string OperatorLabel(Node node, int digits = 6) => node switch
    {
        Ops.Pow p => "^" + Number(p.Exponent, digits),
        _ => node.Symbol,
    };

    /// <summary>A one-element tensor's value, else its shape ("[2×3]").</summary>
    internal static string ValueText(Tensor t, int digits) => t.Length == 1 ? Number(t.Item(), digits) : ShapeText(t);

    /// <summary>A one-element gradient's value, else its shape and Euclidean norm.</summary>
    private static string GradientText(Tensor g, int digits)
    {
        if (g.Length == 1) return Number(g.Item(), digits);
        double norm = Math.Sqrt(g.ToDoubleArray().Sum(v => v * v));
        return $"{ShapeText(g)} ‖g‖ = {Number(norm, digits)}";
    }

    private static string ShapeText(Tensor t) => "[" + string.Join("×", t.ShapeArray()) + "]";

    /// <summary>A number to <paramref name="digits"/> significant digits, invariant culture.</summary>
    internal static string Number(double v, int digits) => v.ToString("G" + digits, CultureInfo.InvariantCulture);
}
