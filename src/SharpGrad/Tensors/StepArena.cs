namespace SharpGrad;

/// <summary>
/// Tensor and graph-node objects reused from one training step to the next, so that a step repeated in
/// <see cref="TensorScope.Begin(StepArena)"/> scopes allocates no managed memory once its graph has settled: the
/// storage already comes from the buffer pool (any <see cref="TensorScope"/>), and the arena adds the objects
/// themselves (the output <see cref="Tensor"/> of each operation, its <see cref="Node"/> and the node's bookkeeping).
/// <code>
/// var arena = new StepArena();
/// foreach (var batch in loader.Epoch(epoch))
/// {
///     using var scope = TensorScope.Begin(arena);
///     optimizer.ZeroGrad();
///     var loss = Functional.SoftmaxCrossEntropy(model.Forward(batch.Images), batch.Labels);
///     loss.Backward();
///     optimizer.Step();
///     total += loss.Item();          // read what you need inside the scope
/// }
/// </code>
/// </summary>
/// <remarks>
/// <para>Objects are matched by position: the k-th tensor created in a step reuses the object of the k-th tensor
/// created two steps earlier (and the k-th recorded node likewise, when it is of the same operation), provided that
/// object was released when its scope ended. A step that builds a different graph (a last, smaller batch, say) is
/// still computed correctly; it just allocates where the objects do not fit.</para>
/// <para>What it asks of the caller: a tensor created in a step must not be used after its scope has ended. In a
/// plain scope such a use throws <see cref="ObjectDisposedException"/>; here it does too until the object is reused,
/// and the arena alternates between two sets of objects so that a tensor kept by mistake from the previous step (a
/// <c>previousLoss</c> variable, say) always throws. A reference held for two steps or more, though, may by then name
/// a tensor of a later step. Tensors moved out of the scope (<see cref="TensorScope.Keep"/>, a parameter's first
/// gradient) are never reused; a backward pass through the graph of a kept tensor after its inputs were reused
/// throws <see cref="InvalidOperationException"/>.</para>
/// <para>One arena serves one loop on one thread: it can back one open scope at a time.</para>
/// </remarks>
public sealed class StepArena
{
    private readonly List<Tensor>[] _tensors = [[], []];
    private readonly List<Node>[] _nodes = [[], []];
    private int _set, _nextTensor, _nextNode;
    private bool _inUse;

    /// <summary>How many tensor objects the arena has handed out again instead of allocating.</summary>
    public long TensorsReused { get; private set; }

    /// <summary>How many graph nodes the arena has handed out again instead of allocating.</summary>
    public long NodesReused { get; private set; }

    /// <summary>The number of tensor and node objects the arena holds (both sets).</summary>
    public int ObjectCount => _tensors[0].Count + _tensors[1].Count + _nodes[0].Count + _nodes[1].Count;

    internal void BeginStep()
    {
        if (_inUse)
            throw new InvalidOperationException("This StepArena is already backing an open TensorScope; an arena serves one scope at a time (use one arena per loop and thread).");
        _inUse = true;
        _set ^= 1; // the other set: the previous step's objects stay released, so a stale use of one throws
        _nextTensor = 0;
        _nextNode = 0;
    }

    /// <summary>Called when the arena's scope has released its tensors: what was released may be reused two steps on.</summary>
    internal void EndStep()
    {
        foreach (var t in _tensors[_set]) t.RecyclableIn = t.IsReleased ? this : null;
        foreach (var n in _nodes[_set]) n.RecyclableIn = n.Output is { IsReleased: true } ? this : null; // no Output: its operation threw before attaching it
        _inUse = false;
    }

    /// <summary>The released tensor at the next position, or null (then <see cref="PlaceTensor"/> stores the new one there).</summary>
    internal Tensor? NextTensor()
    {
        var slots = _tensors[_set];
        int i = _nextTensor++;
        if (i < slots.Count && ReferenceEquals(slots[i].RecyclableIn, this))
        {
            TensorsReused++;
            return slots[i];
        }
        return null;
    }

    /// <summary>Stores a newly allocated tensor at the position <see cref="NextTensor"/> just gave none for.</summary>
    internal void PlaceTensor(Tensor tensor) => Place(_tensors[_set], _nextTensor - 1, tensor);

    /// <summary>A released node of type <typeparamref name="TNode"/> at the next position, or null (then <see cref="PlaceNode"/>).</summary>
    internal TNode? NextNode<TNode>() where TNode : Node
    {
        var slots = _nodes[_set];
        int i = _nextNode++;
        if (i < slots.Count && slots[i] is TNode node && node.GetType() == typeof(TNode) && ReferenceEquals(node.RecyclableIn, this))
        {
            node.RecyclableIn = null;
            NodesReused++;
            return node;
        }
        return null;
    }

    /// <summary>Stores a newly allocated node at the position <see cref="NextNode{TNode}"/> just gave none for.</summary>
    internal void PlaceNode(Node node) => Place(_nodes[_set], _nextNode - 1, node);

    private static void Place<T>(List<T> slots, int index, T item)
    {
        if (index < slots.Count) slots[index] = item;
        else slots.Add(item); // positions are taken in order, so index == Count here
    }
}
