using SharpGrad.Viz;

namespace SharpGrad.Cli.Calc;

/// <summary>A value and its gradient, for one named scalar.</summary>
/// <param name="Name">The name in the program.</param>
/// <param name="Value">Its value.</param>
/// <param name="Gradient">∂output/∂it.</param>
internal sealed record NamedValue(string Name, double Value, double Gradient);

/// <summary>
/// A calc program evaluated and differentiated by the engine: <see cref="Tensor.Backward"/> for the gradients,
/// a <see cref="BackwardTrace"/> of the same pass for explanations and pictures, and, for order 2,
/// <see cref="SharpGrad.Autograd.Grad"/> twice (the first with <c>createGraph</c>) for the Hessian.
/// </summary>
internal sealed class Calculation
{
    private Calculation(CalcGraph graph, List<NamedValue> inputs, List<NamedValue> intermediates, BackwardTrace? trace, double[,]? hessian)
    {
        Graph = graph;
        Inputs = inputs;
        Intermediates = intermediates;
        Trace = trace;
        Hessian = hessian;
    }

    public CalcGraph Graph { get; }

    public string OutputName => Graph.OutputName;

    public double Value => Graph.Output.Item();

    public IReadOnlyList<NamedValue> Inputs { get; }

    public IReadOnlyList<NamedValue> Intermediates { get; }

    /// <summary>The backward pass step by step, or null when the output depends on no input.</summary>
    public BackwardTrace? Trace { get; }

    /// <summary>∂²output/∂inputᵢ∂inputⱼ, in the order of <see cref="Inputs"/>, when order 2 was asked for.</summary>
    public double[,]? Hessian { get; }

    public static Calculation Run(string source, IReadOnlyDictionary<string, double> values, int order)
    {
        var graph = CalcGraph.Build(source, values);
        var output = graph.Output;
        BackwardTrace? trace = null;
        if (output.RequiresGrad)
        {
            trace = BackwardTrace.Record(output);
            output.Backward(retainGraph: true);
        }
        var inputs = graph.Inputs.Select(i => new NamedValue(i.Name, i.Tensor.Item(), GradientOf(i.Tensor, output))).ToList();
        var intermediates = graph.Intermediates.Select(i => new NamedValue(i.Name, i.Tensor.Item(), GradientOf(i.Tensor, output))).ToList();
        var hessian = order == 2 ? SecondDerivatives(output, graph.Inputs.Select(i => i.Tensor).ToList()) : null;
        return new Calculation(graph, inputs, intermediates, trace, hessian);
    }

    private static double GradientOf(Tensor t, Tensor output) =>
        ReferenceEquals(t, output) ? 1 : t.Grad?.Item() ?? 0; // no gradient: the output does not depend on it

    /// <summary>Differentiates each first derivative again: H[i, j] = ∂/∂xⱼ (∂y/∂xᵢ).</summary>
    private static double[,] SecondDerivatives(Tensor output, List<Tensor> inputs)
    {
        var h = new double[inputs.Count, inputs.Count];
        if (!output.RequiresGrad || inputs.Count == 0) return h;
        var first = SharpGrad.Autograd.Grad([output], inputs, createGraph: true, allowUnused: true);
        for (int i = 0; i < inputs.Count; i++)
        {
            if (first[i] is not { RequiresGrad: true } g) continue; // a constant first derivative: its row is zero
            var second = SharpGrad.Autograd.Grad([g], inputs, retainGraph: true, allowUnused: true);
            for (int j = 0; j < inputs.Count; j++) h[i, j] = second[j]?.Item() ?? 0;
        }
        return h;
    }
}
