namespace SharpGrad;

/// <summary>
/// The reverse-mode engine: runs the nodes of a graph from the output back to the leaves, each multiplying the
/// gradient arriving from downstream by its local derivative, and sums the gradients of tensors used more than once.
/// </summary>
public static class Autograd
{
    /// <summary>
    /// The nodes reachable from <paramref name="root"/>, in the order the backward pass runs them: every node
    /// comes after all the nodes that consume its output (descending generation). Iterative, so very long chains
    /// do not overflow the stack.
    /// </summary>
    /// <param name="root">The tensor the backward pass starts from.</param>
    /// <returns>The nodes in backward order.</returns>
    public static List<Node> TopologicalOrder(Tensor root) => TopologicalOrder([root]);

    /// <summary>The nodes reachable from any of <paramref name="roots"/>, in backward order (see <see cref="TopologicalOrder(Tensor)"/>).</summary>
    /// <param name="roots">The tensors the backward pass starts from.</param>
    /// <returns>The nodes in backward order.</returns>
    public static List<Node> TopologicalOrder(IReadOnlyList<Tensor> roots)
    {
        var order = new List<Node>();
        var roots2 = new Tensor[roots.Count];
        for (int i = 0; i < roots2.Length; i++) roots2[i] = roots[i];
        FillTopologicalOrder(roots2, order, new HashSet<Node>(ReferenceEqualityComparer.Instance), new Stack<Node>(), new List<(int, int)>());
        return order;
    }

    /// <summary>Writes the backward order of the graph below <paramref name="roots"/> into <paramref name="order"/>, using the given scratch collections (cleared first).</summary>
    private static void FillTopologicalOrder(ReadOnlySpan<Tensor> roots, List<Node> order, HashSet<Node> seen, Stack<Node> stack, List<(int Generation, int Index)> keys)
    {
        order.Clear();
        seen.Clear();
        stack.Clear();
        keys.Clear();
        foreach (var r in roots)
            if (r.Creator is { } c && seen.Add(c)) stack.Push(c);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            keys.Add((node.Generation, order.Count));
            order.Add(node);
            var inputs = node.InputArray;
            for (int i = 0; i < inputs.Length; i++)
                if (inputs[i].Creator is { } c && seen.Add(c)) stack.Push(c);
        }
        // Descending generation; ties keep the discovery order, so runs are deterministic.
        System.Runtime.InteropServices.CollectionsMarshal.AsSpan(keys).Sort(static (x, y) =>
            x.Generation != y.Generation ? y.Generation.CompareTo(x.Generation) : x.Index.CompareTo(y.Index));
        // Permute order by keys in place, using the stack as temporary storage.
        stack.Clear();
        for (int i = keys.Count - 1; i >= 0; i--) stack.Push(order[keys[i].Index]);
        for (int i = 0; i < keys.Count; i++) order[i] = stack.Pop();
        seen.Clear();
    }

    /// <summary>
    /// Computes ∂(Σ outputs·seeds)/∂input for each input and returns them, without touching any tensor's
    /// <see cref="Tensor.Grad"/> (PyTorch's <c>torch.autograd.grad</c>).
    /// </summary>
    /// <param name="outputs">The tensors to differentiate.</param>
    /// <param name="inputs">The tensors to differentiate with respect to.</param>
    /// <param name="gradOutputs">Seed gradients, one per output (null entries, or null, mean 1 for one-element outputs).</param>
    /// <param name="createGraph">Record the backward pass so the returned gradients can be differentiated again.</param>
    /// <param name="retainGraph">Keep saved values so the graph can be differentiated again (defaults to <paramref name="createGraph"/>).</param>
    /// <param name="allowUnused">Return null for an input the outputs do not depend on, instead of throwing.</param>
    /// <returns>One gradient per input, each with that input's shape.</returns>
    public static Tensor?[] Grad(IReadOnlyList<Tensor> outputs, IReadOnlyList<Tensor> inputs, IReadOnlyList<Tensor?>? gradOutputs = null,
        bool createGraph = false, bool? retainGraph = null, bool allowUnused = false)
    {
        if (gradOutputs is not null && gradOutputs.Count != outputs.Count) // PyTorch's rule: one gradient per output
            throw new ArgumentException($"Autograd.Grad got {gradOutputs.Count} gradOutputs for {outputs.Count} outputs; give one per output (null for a one-element output).", nameof(gradOutputs));
        var wanted = new Dictionary<Tensor, Tensor?>(ReferenceEqualityComparer.Instance);
        foreach (var x in inputs)
        {
            if (!x.RequiresGrad)
                throw new ArgumentException($"Input tensor of shape {Shapes.Format(x.Shape)} does not require gradients, so nothing can flow to it.");
            wanted[x] = null;
        }
        Run(outputs.ToArray(), gradOutputs?.ToArray() ?? [], retainGraph ?? createGraph, createGraph, wanted);
        var result = new Tensor?[inputs.Count];
        for (int i = 0; i < inputs.Count; i++)
        {
            result[i] = wanted[inputs[i]];
            if (result[i] is null && !allowUnused)
                throw new InvalidOperationException($"Input {i} (shape {Shapes.Format(inputs[i].Shape)}) was not used to compute the outputs; pass allowUnused: true to get null for it.");
        }
        return result;
    }

    /// <summary>Implements <see cref="Tensor.Backward(Tensor?, bool, bool)"/>.</summary>
    internal static void Backward(Tensor root, Tensor? gradient, bool retainGraph, bool createGraph) =>
        Run([root], [gradient], retainGraph, createGraph, null);

    /// <summary>The collections one backward pass needs, kept per thread so a training step allocates none of them.</summary>
    private sealed class Scratch
    {
        public readonly Dictionary<Tensor, Tensor> Pending = new(ReferenceEqualityComparer.Instance);
        public readonly List<Node> Order = [];
        public readonly HashSet<Node> Seen = new(ReferenceEqualityComparer.Instance);
        public readonly Stack<Node> Stack = new();
        public readonly List<(int, int)> Keys = [];
        public Tensor?[] Targets = new Tensor?[4];
        public bool[] Overwrite = new bool[4];
    }

    [ThreadStatic] private static Scratch? t_scratch;

    /// <summary>When set (by the benchmarks' profiler), receives each node and the Stopwatch ticks its backward rule took.</summary>
    [ThreadStatic] internal static Action<Node, long>? BackwardTimer;

    /// <summary>
    /// The backward pass. When <paramref name="capture"/> is null, gradients of leaves accumulate into their
    /// <see cref="Tensor.Grad"/>; otherwise only the tensors in <paramref name="capture"/> receive gradients, there.
    /// </summary>
    private static void Run(ReadOnlySpan<Tensor> roots, ReadOnlySpan<Tensor?> seeds, bool retainGraph, bool createGraph,
        Dictionary<Tensor, Tensor?>? capture)
    {
        var scratch = t_scratch ?? new Scratch();
        t_scratch = null; // a nested pass (from inside a backward rule) gets its own
        try
        {
            Run(roots, seeds, retainGraph, createGraph, capture, scratch);
        }
        finally
        {
            scratch.Pending.Clear();
            scratch.Order.Clear();
            Array.Clear(scratch.Targets);
            Array.Clear(scratch.Overwrite);
            t_scratch = scratch;
        }
    }

    private static void Run(ReadOnlySpan<Tensor> roots, ReadOnlySpan<Tensor?> seeds, bool retainGraph, bool createGraph,
        Dictionary<Tensor, Tensor?>? capture, Scratch scratch)
    {
        var pending = scratch.Pending;
        using var mode = GradMode.Set(createGraph);
        for (int i = 0; i < roots.Length; i++)
        {
            var root = roots[i];
            _ = root.Data; // a tensor released with its TensorScope throws ObjectDisposedException here, naming the scope
            if (!root.RequiresGrad)
                throw new InvalidOperationException($"Backward from a tensor (shape {Shapes.Format(root.Shape)}) that does not require gradients: no input of the computation has RequiresGrad set.");
            var seed = i < seeds.Length ? seeds[i] : null;
            if (seed is null)
            {
                if (root.Length != 1)
                    throw new InvalidOperationException(capture is null
                        ? $"Backward() without a gradient needs a one-element output, but this one has shape {Shapes.Format(root.Shape)}. " +
                          "Reduce it (for example with Sum() or Mean()) or pass the gradient with respect to it."
                        : $"Autograd.Grad without a gradOutputs entry needs one-element outputs, but output {i} has shape {Shapes.Format(root.Shape)}. " +
                          "Reduce it (for example with Sum() or Mean()) or pass the gradient with respect to it in gradOutputs.");
                seed = root.OnesLike();
            }
            else if (!Shapes.Equal(seed.Shape, root.Shape) || seed.DType != root.DType)
                throw new ArgumentException($"The seed gradient has shape {Shapes.Format(seed.Shape)} ({seed.DType}) but the output has shape {Shapes.Format(root.Shape)} ({root.DType}).");
            Deliver(root, seed, pending, capture, createGraph);
        }

        FillTopologicalOrder(roots, scratch.Order, scratch.Seen, scratch.Stack, scratch.Keys);
        foreach (var node in scratch.Order)
        {
            if (!pending.Remove(node.Output, out var gradOutput)) continue; // nothing flowed to this branch
            Tensor?[] gradInputs;
            AnomalyDetection.CurrentBackward = node;
            node.AccumulateTargets = capture is null && !createGraph ? LeafBuffers(node, ref scratch.Targets, ref scratch.Overwrite) : null;
            node.AccumulateOverwrite = node.AccumulateTargets is null ? null : scratch.Overwrite;
            long started = BackwardTimer is null ? 0 : System.Diagnostics.Stopwatch.GetTimestamp();
            try { gradInputs = node.RunBackward(gradOutput); }
            finally
            {
                AnomalyDetection.CurrentBackward = null;
                if (node.AccumulateTargets is { } used)
                {
                    Array.Clear(used);
                    Array.Clear(scratch.Overwrite);
                }
                node.AccumulateTargets = null;
                node.AccumulateOverwrite = null;
            }
            BackwardTimer?.Invoke(node, System.Diagnostics.Stopwatch.GetTimestamp() - started);
            if (!retainGraph) node.Release();
            var inputs = node.InputArray;
            for (int i = 0; i < inputs.Length; i++)
            {
                var input = inputs[i];
                if (gradInputs[i] is not { } g || !input.RequiresGrad) continue;
                if (ReferenceEquals(g, Node.Accumulated))
                {
                    input.GradBufferWritten(); // written over or added to: either way it now holds the whole gradient
                    input.Grad!.BumpVersion();
                    if (AnomalyDetection.Enabled) CheckGradient(node, i, input.Grad!, accumulated: true);
                    continue;
                }
                if (AnomalyDetection.Enabled) CheckGradient(node, i, g, accumulated: false);
                Deliver(input, g, pending, capture, createGraph);
            }
            Array.Clear(gradInputs); // the node's own array: it should not keep the gradients alive
        }
    }

    /// <summary>
    /// Anomaly check of a gradient a rule produced. A method of its own: a lambda in the backward loop capturing the
    /// loop's node would allocate its closure on every iteration, checked or not.
    /// </summary>
    private static void CheckGradient(Node node, int input, Tensor gradient, bool accumulated) =>
        AnomalyDetection.Check(gradient, () => accumulated
            ? $"The backward of '{node.OpName}' (gradient accumulated into input {input})"
            : $"The backward of '{node.OpName}' (gradient for input {input})");

    /// <summary>
    /// Per input, the existing gradient buffer of a leaf that a rule may add into directly (null elsewhere), written
    /// into the reusable <paramref name="targets"/>; null when there is none.
    /// </summary>
    private static Tensor?[]? LeafBuffers(Node node, ref Tensor?[] targets, ref bool[] overwrite)
    {
        var inputs = node.InputArray;
        bool any = false;
        for (int i = 0; i < inputs.Length; i++)
        {
            var input = inputs[i];
            if (!input.IsLeaf || !input.RequiresGrad || input.GradBuffer is not { Creator: null } grad || grad.DType != input.DType) continue;
            // A leaf passed twice to the same node must not be accumulated into twice through the shortcut.
            bool repeated = false;
            for (int j = 0; j < inputs.Length; j++) repeated |= j != i && ReferenceEquals(inputs[j], input);
            if (repeated) continue;
            if (targets.Length < inputs.Length)
            {
                targets = new Tensor?[inputs.Length];
                overwrite = new bool[inputs.Length];
            }
            targets[i] = grad;
            overwrite[i] = input.GradPendingZero;
            any = true;
        }
        return any ? targets : null;
    }

    /// <summary>Hands a gradient to a tensor: kept for its creator's backward, and stored where the caller wants it.</summary>
    private static void Deliver(Tensor t, Tensor g, Dictionary<Tensor, Tensor> pending, Dictionary<Tensor, Tensor?>? capture, bool createGraph)
    {
        if (!createGraph && g.RequiresGrad) g = g.Detach(); // a rule returned a tensor with a graph (an input, say)
        if (capture is not null)
        {
            if (capture.TryGetValue(t, out var sum)) capture[t] = sum is null ? g : Ops.Add.Apply(sum, g);
        }
        else if (t.IsLeaf || t.RetainsGrad)
        {
            Accumulate(t, g, createGraph);
        }
        if (t.Creator is not null)
            pending[t] = pending.TryGetValue(t, out var existing) ? Ops.Add.Apply(existing, g) : g;
    }

    /// <summary>Leaf rule (PyTorch's): gradients add up across Backward calls until ZeroGrad.</summary>
    private static void Accumulate(Tensor t, Tensor g, bool createGraph)
    {
        if (t.GradPendingZero && !createGraph && t.GradBuffer is { Creator: null } buffer && buffer.DType == g.DType && Shapes.Equal(buffer.Shape, g.Shape))
        {
            Array.Copy(g.Data, buffer.Data, g.Length); // zeros + g: write over the buffer instead of clearing it and adding
            t.GradBufferWritten();
            buffer.BumpVersion();
            return;
        }
        if (t.Grad is null)
        {
            // A private copy, since g may be the same object another input received (add passes its gradient through).
            t.Grad = createGraph ? g : Ops.Copy.Raw(g);
        }
        else if (createGraph || t.Grad.Creator is not null)
        {
            t.Grad = Ops.Add.Apply(t.Grad, g);
        }
        else
        {
            Kernels.Elementwise.AddInPlace(t.Grad, g);
        }
    }
}
