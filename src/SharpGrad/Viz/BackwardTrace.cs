namespace SharpGrad.Viz;

/// <summary>A gradient that reached a tensor along one edge: from the node that consumed it, or the seed.</summary>
/// <param name="From">The node whose backward sent it, or null for the seed given to the output.</param>
/// <param name="Gradient">The gradient sent: ∂L/∂(consumer's output) · ∂(consumer's output)/∂tensor.</param>
public sealed record GradientContribution(Node? From, Tensor Gradient);

/// <summary>
/// One node's part in a backward pass: what arrived from downstream, its local derivatives, and what it sent to
/// each input (chain rule: sent = arrived · local derivative).
/// </summary>
/// <param name="Node">The operation node.</param>
/// <param name="Incoming">The gradients that reached the node's output, one per consumer (their sum is <paramref name="GradOutput"/>).</param>
/// <param name="GradOutput">∂L/∂output: the sum of <paramref name="Incoming"/>.</param>
/// <param name="LocalDerivatives">
/// For each input, the gradient the node sends when ∂L/∂output is all ones; for one-element tensors this is the
/// local derivative ∂output/∂input. Null where the node sends nothing.
/// </param>
/// <param name="GradInputs">For each input, ∂L/∂input as sent by this node (null where it sends nothing).</param>
public sealed record BackwardStep(Node Node, IReadOnlyList<GradientContribution> Incoming, Tensor GradOutput,
    IReadOnlyList<Tensor?> LocalDerivatives, IReadOnlyList<Tensor?> GradInputs);

/// <summary>
/// A record of a backward pass, step by step, made by re-running every node's backward rule without recording a
/// graph and without touching any <see cref="Tensor.Grad"/>. It shows what the engine does: nodes in the order
/// <see cref="Autograd.TopologicalOrder(Tensor)"/> gives, each multiplying the gradient from downstream by its
/// local derivatives, with the gradients of tensors used more than once summed.
/// </summary>
public sealed class BackwardTrace
{
    private readonly Dictionary<Tensor, Tensor> _totals;
    private readonly Dictionary<(Node, int), Tensor> _edges;

    private BackwardTrace(Tensor root, Tensor seed, List<BackwardStep> steps, Dictionary<Tensor, Tensor> totals, Dictionary<(Node, int), Tensor> edges)
    {
        Root = root;
        Seed = seed;
        Steps = steps;
        _totals = totals;
        _edges = edges;
    }

    /// <summary>The tensor the pass started from.</summary>
    public Tensor Root { get; }

    /// <summary>∂L/∂root, the gradient the pass started with (1 for a one-element root unless given).</summary>
    public Tensor Seed { get; }

    /// <summary>The steps, in the order the backward pass runs the nodes.</summary>
    public IReadOnlyList<BackwardStep> Steps { get; }

    /// <summary>
    /// Records the backward pass from <paramref name="root"/>. The graph must still hold its saved values (record
    /// before a <c>Backward()</c> without <c>retainGraph</c>, or pass <c>retainGraph: true</c> to it).
    /// </summary>
    /// <param name="root">The output to differentiate.</param>
    /// <param name="seed">∂L/∂root; may be omitted for a one-element root, where it is 1.</param>
    /// <returns>The trace.</returns>
    /// <exception cref="InvalidOperationException">The root has more than one element and no seed was given, or a node's saved values were released.</exception>
    public static BackwardTrace Record(Tensor root, Tensor? seed = null)
    {
        if (seed is null && root.Length != 1)
            throw new InvalidOperationException($"A trace from a tensor of shape {Shapes.Format(root.Shape)} needs a seed gradient of that shape.");
        using var noGrad = Tensor.NoGrad();
        seed ??= root.OnesLike();
        var pending = new Dictionary<Tensor, List<GradientContribution>>(ReferenceEqualityComparer.Instance) { [root] = [new(null, seed)] };
        var totals = new Dictionary<Tensor, Tensor>(ReferenceEqualityComparer.Instance) { [root] = seed };
        var edges = new Dictionary<(Node, int), Tensor>();
        var steps = new List<BackwardStep>();
        foreach (var node in Autograd.TopologicalOrder(root))
        {
            if (!pending.Remove(node.Output, out var incoming)) continue; // nothing flowed to this branch
            var gradOutput = totals[node.Output];
            var gradInputs = node.Backward(gradOutput);
            var local = node.Backward(gradOutput.OnesLike());
            for (int i = 0; i < gradInputs.Length; i++)
            {
                if (gradInputs[i] is not { } g) continue;
                edges[(node, i)] = g;
                var input = node.Inputs[i];
                if (!input.RequiresGrad) continue; // a constant: shown, but the engine sends it nothing
                totals[input] = totals.TryGetValue(input, out var sum) ? sum + g : g;
                if (!pending.TryGetValue(input, out var list)) pending[input] = list = [];
                list.Add(new GradientContribution(node, g));
            }
            steps.Add(new BackwardStep(node, incoming, gradOutput, local, gradInputs));
        }
        return new BackwardTrace(root, seed, steps, totals, edges);
    }

    /// <summary>∂L/∂t summed over every path from <paramref name="t"/> to the root, or null when none exists.</summary>
    /// <param name="t">A tensor of the graph.</param>
    /// <returns>The total gradient.</returns>
    public Tensor? GradientOf(Tensor t) => _totals.GetValueOrDefault(t);

    /// <summary>The gradient <paramref name="node"/> sent to its input number <paramref name="inputIndex"/> (the gradient on that edge).</summary>
    /// <param name="node">The consuming node.</param>
    /// <param name="inputIndex">The position of the input.</param>
    /// <returns>The gradient, or null when none flowed there.</returns>
    public Tensor? EdgeGradient(Node node, int inputIndex) => _edges.GetValueOrDefault((node, inputIndex));
}
