namespace SharpGrad;

/// <summary>
/// One operation in a computational graph. A node computes its output from its own inputs alone (local
/// computation) and keeps what its backward rule needs; in the backward pass it receives the gradient of the
/// final output with respect to its own output (<c>gradOutput</c>) and returns, for each input, that gradient
/// multiplied by its local derivative.
/// </summary>
/// <remarks>
/// Backward rules are written with tensor operations, so when the engine runs them with recording on
/// (<c>createGraph: true</c>) the backward pass is itself a graph that can be differentiated again.
/// </remarks>
public abstract class Node
{
    private Tensor[] _inputs = [];
    private int[] _inputVersions = [];
    private int[] _inputIncarnations = [];
    private int _outputVersion;
    private int _outputIncarnation;
    private Tensor?[]? _gradients;

    /// <summary>The arena that may reuse this node: set when the arena's scope released the node's output.</summary>
    internal StepArena? RecyclableIn { get; set; }

    /// <summary>The inputs this node was applied to, in order.</summary>
    public IReadOnlyList<Tensor> Inputs => _inputs;

    /// <summary>The inputs as the array itself (the engine's loops index it without an enumerator).</summary>
    internal Tensor[] InputArray => _inputs;

    /// <summary>The node's output. Held strongly; the graph is collected when the last tensor referring to it is.</summary>
    public Tensor Output { get; private set; } = null!;

    /// <summary>One more than the highest generation among the inputs' creators: nodes of higher generation run first in backward.</summary>
    public int Generation { get; private set; }

    /// <summary>True once a backward pass without <c>retainGraph</c> has released what this node saved.</summary>
    public bool Released { get; private set; }

    /// <summary>A short operator symbol for pictures, such as "×" or "exp".</summary>
    public abstract string Symbol { get; }

    /// <summary>The operation's name, such as "mul".</summary>
    public virtual string OpName => GetType().Name.ToLowerInvariant();

    /// <summary>
    /// The user-facing operation this node is an internal step of (e.g. "Sum" for the reshape and sum_to nodes that
    /// <see cref="Tensor.Sum()"/> records), or null for a node the user's call records directly. Names it in errors.
    /// </summary>
    internal string? PartOf { get; private set; }

    /// <summary>How error messages name the node: "the 'reshape' node (an internal step of Sum)".</summary>
    private string Described => PartOf is null ? $"the '{OpName}' node" : $"the '{OpName}' node (an internal step of {PartOf})";

    /// <summary>
    /// Marks the nodes between <paramref name="source"/> and <paramref name="result"/> as internal steps of
    /// <paramref name="operation"/> (replacing an inner composite's mark: Mean's Sum nodes become Mean's).
    /// </summary>
    /// <param name="result">The composite's output.</param>
    /// <param name="source">The composite's input, where the walk stops.</param>
    /// <param name="operation">The user-facing name, such as "Sum".</param>
    /// <returns><paramref name="result"/>.</returns>
    internal static Tensor MarkPartOf(Tensor result, Tensor source, string operation)
    {
        if (ReferenceEquals(result, source) || result.Creator is not { } node) return result;
        node.PartOf = operation;
        foreach (var input in node._inputs) MarkPartOf(input, source, operation);
        return result;
    }

    /// <summary>The backward rule in words, for explanations ("multiply: each input receives the gradient times the other input").</summary>
    public virtual string Rule => $"{OpName}: each input receives the gradient times the local derivative";

    /// <summary>
    /// The gradients with respect to each input, given the gradient with respect to the output. A null entry
    /// means no gradient flows to that input (it is constant for this operation).
    /// </summary>
    /// <param name="gradOutput">∂L/∂output, with the output's shape.</param>
    /// <returns>∂L/∂input for each input, each with that input's shape.</returns>
    public Tensor?[] Backward(Tensor gradOutput) => (Tensor?[])RunBackward(gradOutput).Clone(); // the rule's array is reused by the node

    /// <summary>The engine's entry to the backward rule, after the checks; the array it returns is the node's own, valid until its next backward.</summary>
    internal Tensor?[] RunBackward(Tensor gradOutput)
    {
        if (Released)
            throw new InvalidOperationException(
                $"Backward through {Described} a second time, but its saved values were released by the first Backward(). " +
                "Pass retainGraph: true to the first Backward call to keep them.");
        for (int i = 0; i < _inputs.Length; i++)
        {
            if (_inputs[i].Incarnation != _inputIncarnations[i])
                throw new InvalidOperationException(
                    $"Input {i} of {Described} was released when its TensorScope ended, and a StepArena has since reused the object for a " +
                    "later step; a graph does not outlive its scope (keeping a tensor keeps its values, not its graph).");
            if (_inputs[i].Version != _inputVersions[i])
                throw new InvalidOperationException(
                    $"Input {i} of {Described} (shape {Shapes.Format(_inputs[i].Shape)}) was modified in place after the node saved it " +
                    $"(version {_inputVersions[i]} then, {_inputs[i].Version} now); its gradient would be wrong.");
        }
        if (Output.Incarnation != _outputIncarnation)
            throw new InvalidOperationException(
                $"The output of {Described} was released when its TensorScope ended, and a StepArena has since reused the object for a later step.");
        if (Output.Version != _outputVersion)
            throw new InvalidOperationException(
                $"The output of {Described} was modified in place after it was computed; its backward, which uses that output, would be wrong.");
        return BackwardCore(gradOutput);
    }

    /// <summary>
    /// The result of a backward rule: ∂L/∂input_i for each input, in order (null where none flows). The array is the
    /// node's own and is reused by its next backward, so a rule allocates none.
    /// </summary>
    /// <param name="gradients">One entry per input.</param>
    /// <returns>The node's gradient array holding <paramref name="gradients"/>.</returns>
    protected Tensor?[] Gradients(params ReadOnlySpan<Tensor?> gradients)
    {
        if (_gradients is null || _gradients.Length != gradients.Length) _gradients = new Tensor?[gradients.Length];
        gradients.CopyTo(_gradients);
        return _gradients;
    }

    /// <summary>The backward rule: ∂L/∂input_i = ∂L/∂output · ∂output/∂input_i for each input.</summary>
    /// <param name="gradOutput">∂L/∂output.</param>
    /// <returns>∂L/∂input for each input (null where none flows).</returns>
    protected abstract Tensor?[] BackwardCore(Tensor gradOutput);

    /// <summary>Frees what the node saved for its backward; a later backward through it throws.</summary>
    internal void Release()
    {
        Released = true;
        ReleaseSaved();
    }

    /// <summary>Drops references to saved values (beyond the inputs, which the graph needs for traversal).</summary>
    protected virtual void ReleaseSaved() { }

    /// <summary>
    /// Connects <paramref name="output"/> to its inputs through a node of an operation that holds no settings, when
    /// recording is on and any input requires gradients; otherwise returns <paramref name="output"/> as a constant.
    /// Inside a <see cref="StepArena"/>'s scope the node object of an earlier step is reused.
    /// </summary>
    /// <param name="output">The computed output.</param>
    /// <param name="inputs">The inputs.</param>
    /// <returns><paramref name="output"/>.</returns>
    internal static Tensor Record<TNode>(Tensor output, params ReadOnlySpan<Tensor> inputs) where TNode : Node, new()
    {
        RecordNode<TNode>(output, inputs);
        return output;
    }

    /// <summary>
    /// As <see cref="Record{TNode}"/>, for an operation whose node holds settings: returns the attached node, whose
    /// settings the caller then sets (the backward reads them, the attaching does not), or null when nothing is
    /// recorded. Settings live in fields rather than in a constructor or a closure, so an arena can reuse the node.
    /// </summary>
    /// <param name="output">The computed output.</param>
    /// <param name="inputs">The inputs.</param>
    /// <returns>The node, or null.</returns>
    internal static TNode? RecordNode<TNode>(Tensor output, params ReadOnlySpan<Tensor> inputs) where TNode : Node, new()
    {
        if (AnomalyDetection.Enabled) CheckForward(static () => new TNode(), output, inputs.ToArray());
        if (!ShouldRecord(inputs)) return null; // not recorded (inside a backward pass, say): nothing allocated here
        var node = NewNode<TNode>();
        node.Attach(output, inputs);
        return node;
    }

    /// <summary>A node for a recorded operation: reused from an earlier step inside a <see cref="StepArena"/>'s scope, else new.</summary>
    /// <returns>The node, not yet attached.</returns>
    private static TNode NewNode<TNode>() where TNode : Node, new()
    {
        if (ScopeFrame.Current?.Arena is not { } arena) return new TNode();
        if (arena.NextNode<TNode>() is { } reused)
        {
            reused.Released = false;
            reused.PartOf = null;
            return reused;
        }
        var fresh = new TNode();
        arena.PlaceNode(fresh);
        return fresh;
    }

    /// <summary>Anomaly check of a forward result: names the operation, and whether its inputs were already bad.</summary>
    internal static void CheckForward<TNode>(Func<TNode> node, Tensor output, Tensor[] inputs) where TNode : Node
    {
        if (AnomalyDetection.FirstNonFinite(output) < 0) return;
        string name = node().OpName;
        bool inputsBad = inputs.Any(t => AnomalyDetection.FirstNonFinite(t) >= 0);
        var inBackward = AnomalyDetection.CurrentBackward;
        AnomalyDetection.Check(output, () => inBackward is not null
            ? $"The backward of '{inBackward.OpName}' (its '{name}' step)"
            : $"The forward of '{name}'{(inputsBad ? " (whose inputs already held NaN or infinity)" : "")}");
    }

    /// <summary>Whether an operation on these inputs would be recorded.</summary>
    /// <param name="inputs">The inputs.</param>
    /// <returns>True when recording is on and any input requires gradients.</returns>
    internal static bool ShouldRecord(ReadOnlySpan<Tensor> inputs)
    {
        if (!GradMode.IsEnabled) return false;
        foreach (var t in inputs)
            if (t.RequiresGrad) return true;
        return false;
    }

    /// <summary>Connects this node to its inputs and output (reusing its arrays when the input count is unchanged).</summary>
    internal void Attach(Tensor output, ReadOnlySpan<Tensor> inputs)
    {
        if (_inputs.Length != inputs.Length)
        {
            _inputs = new Tensor[inputs.Length];
            _inputVersions = new int[inputs.Length];
            _inputIncarnations = new int[inputs.Length];
        }
        inputs.CopyTo(_inputs);
        int generation = 0;
        for (int i = 0; i < inputs.Length; i++)
        {
            _inputVersions[i] = inputs[i].Version;
            _inputIncarnations[i] = inputs[i].Incarnation;
            generation = Math.Max(generation, inputs[i].Generation);
        }
        Generation = generation;
        Output = output;
        _outputVersion = output.Version;
        _outputIncarnation = output.Incarnation;
        output.Creator = this;
        output.MarkRequiresGrad();
    }

    /// <summary>
    /// Returned by a backward rule for an input whose gradient it has already added into that input's
    /// <see cref="Tensor.Grad"/> buffer (see <see cref="AccumulateTarget"/>).
    /// </summary>
    internal static readonly Tensor Accumulated = ScopeFrame.Unscoped(Tensor.Scalar(0));

    /// <summary>Set by the engine for the duration of one backward call: per input, a gradient buffer to add into, or null.</summary>
    internal Tensor?[]? AccumulateTargets;

    /// <summary>Set with <see cref="AccumulateTargets"/>: per input, whether its buffer stands for zeros (write over it instead of adding).</summary>
    internal bool[]? AccumulateOverwrite;

    /// <summary>
    /// When not null, the existing gradient buffer of leaf input <paramref name="index"/>: a rule may put its result
    /// straight into it (saving a temporary) and return <see cref="Accumulated"/> for that input. With
    /// <paramref name="overwrite"/> the buffer stands for zeros (after ZeroGrad) and the rule writes over it;
    /// otherwise it adds to it.
    /// </summary>
    /// <param name="index">Position among the inputs.</param>
    /// <param name="overwrite">Whether to write the gradient over the buffer rather than add it.</param>
    /// <returns>The buffer, or null when the rule must return the gradient as usual.</returns>
    private protected Tensor? AccumulateTarget(int index, out bool overwrite)
    {
        overwrite = AccumulateOverwrite?[index] ?? false;
        return AccumulateTargets?[index];
    }

    /// <summary>Whether a gradient for input <paramref name="index"/> is wanted (backward rules skip the work otherwise).</summary>
    /// <param name="index">Position among the inputs.</param>
    /// <returns>True when that input requires gradients.</returns>
    protected bool NeedsGrad(int index) => _inputs[index].RequiresGrad;

    /// <summary>The input at <paramref name="index"/>.</summary>
    /// <param name="index">Position among the inputs.</param>
    /// <returns>The input tensor.</returns>
    protected Tensor Input(int index) => _inputs[index];
}
