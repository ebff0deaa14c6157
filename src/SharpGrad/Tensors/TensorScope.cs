namespace SharpGrad;

/// <summary>
/// A region of code whose tensors are released when it ends, so their storage is reused by the next region
/// instead of being left to the garbage collector (TorchSharp's dispose scope; PyTorch frees by reference count).
/// Wrap each training step in one and the step allocates no new tensor storage once the first step has run:
/// <code>
/// foreach (var batch in loader.Epoch(epoch))
/// {
///     using var scope = TensorScope.Begin();
///     var loss = Functional.SoftmaxCrossEntropy(model.Forward(x), batch.Labels);
///     optimizer.ZeroGrad();
///     loss.Backward();
///     optimizer.Step();
///     total += loss.Item();          // read what you need inside the scope
/// }
/// </code>
/// </summary>
/// <remarks>
/// <para>Every tensor created on this thread while the scope is the innermost one belongs to it. When the scope
/// is disposed, each of its tensors is released: its storage goes back to a pool (see <c>BufferPool</c>) and any
/// later use of its values throws <see cref="ObjectDisposedException"/> naming the tensor's shape. Its shape stays
/// readable.</para>
/// <para>A tensor survives the scope when <see cref="Keep"/> moves it to the enclosing scope (or out of all scopes),
/// and automatically when it becomes the <see cref="Tensor.Grad"/> of a tensor from outside the scope (a
/// parameter's first gradient, for example). Parameters, optimizer state and module buffers created outside the
/// scope are never released by it. Keeping a tensor keeps its values, not its graph: a backward pass through a
/// kept tensor whose graph was released throws.</para>
/// <para>Scopes nest and are per thread. Disposing a scope also ends any scopes opened inside it and not yet ended;
/// disposing it twice does nothing.</para>
/// </remarks>
public readonly struct TensorScope : IDisposable
{
    private readonly ScopeFrame? _frame;
    private readonly int _generation;

    private TensorScope(ScopeFrame frame)
    {
        _frame = frame;
        _generation = frame.Generation;
    }

    /// <summary>Starts a scope on the current thread; it lasts until <see cref="Dispose"/>.</summary>
    /// <returns>The scope (use it in a <c>using</c> statement).</returns>
    public static TensorScope Begin() => new(ScopeFrame.Push(null));

    /// <summary>
    /// Starts a scope whose tensors and graph nodes are objects reused from earlier scopes begun on
    /// <paramref name="arena"/>, so that a training step repeated in such scopes allocates no managed memory at all
    /// once its graph has settled (see <see cref="StepArena"/> for what this asks of the caller).
    /// </summary>
    /// <param name="arena">The arena of the loop; one per training loop, used by one scope at a time.</param>
    /// <returns>The scope (use it in a <c>using</c> statement).</returns>
    /// <exception cref="InvalidOperationException">Another open scope is using <paramref name="arena"/>.</exception>
    public static TensorScope Begin(StepArena arena)
    {
        ArgumentNullException.ThrowIfNull(arena);
        arena.BeginStep();
        return new(ScopeFrame.Push(arena));
    }

    /// <summary>Whether this scope is still open.</summary>
    public bool IsActive => _frame is not null && _frame.IsOpen && _frame.Generation == _generation;

    /// <summary>
    /// Moves <paramref name="tensor"/> out of this scope (into the enclosing one, or out of all scopes), so its values
    /// outlive this scope. A tensor that does not belong to this scope is left as it is.
    /// </summary>
    /// <param name="tensor">A tensor created in this scope.</param>
    /// <returns><paramref name="tensor"/>.</returns>
    /// <exception cref="InvalidOperationException">This scope has already ended.</exception>
    public Tensor Keep(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (!IsActive) throw new InvalidOperationException("Keep() on a TensorScope that has already ended.");
        if (tensor.Scope is { } owner && owner.Depth >= _frame!.Depth) ScopeFrame.MoveTo(tensor, _frame.Outer);
        return tensor;
    }

    /// <summary>Ends the scope (and any scope opened inside it): releases its tensors and recycles their storage.</summary>
    public void Dispose()
    {
        if (IsActive) ScopeFrame.PopThrough(_frame!);
    }
}

/// <summary>The per-thread state of one open <see cref="TensorScope"/>; frames are reused, so scopes allocate nothing.</summary>
internal sealed class ScopeFrame
{
    [ThreadStatic] private static ScopeFrame? t_current;
    [ThreadStatic] private static List<ScopeFrame>? t_frames;

    private readonly List<Tensor> _tensors = [];
    private readonly HashSet<Array> _kept = new(ReferenceEqualityComparer.Instance);

    private ScopeFrame(int depth, ScopeFrame? outer)
    {
        Depth = depth;
        Outer = outer;
    }

    /// <summary>The innermost open scope on this thread, or null.</summary>
    public static ScopeFrame? Current => t_current;

    /// <summary>1 for an outermost scope, 2 inside it, and so on.</summary>
    public int Depth { get; }

    /// <summary>The enclosing scope, or null.</summary>
    public ScopeFrame? Outer { get; }

    /// <summary>The arena whose objects this scope reuses, or null.</summary>
    public StepArena? Arena { get; private set; }

    /// <summary>Counts the uses of this frame, so a stale <see cref="TensorScope"/> handle is recognised.</summary>
    public int Generation { get; private set; }

    public bool IsOpen { get; private set; }

    public static ScopeFrame Push(StepArena? arena)
    {
        var frames = t_frames ??= [];
        int depth = (t_current?.Depth ?? 0) + 1;
        if (frames.Count < depth) frames.Add(new ScopeFrame(depth, t_current));
        var frame = frames[depth - 1];
        frame.Generation++;
        frame.IsOpen = true;
        frame.Arena = arena;
        t_current = frame;
        return frame;
    }

    /// <summary>Registers a new tensor with the innermost scope, if any.</summary>
    public static void Register(Tensor tensor)
    {
        if (t_current is { } frame)
        {
            tensor.Scope = frame;
            frame._tensors.Add(tensor);
        }
    }

    /// <summary>Moves a tensor to <paramref name="target"/> (null: out of every scope).</summary>
    public static void MoveTo(Tensor tensor, ScopeFrame? target)
    {
        tensor.Scope = target;
        target?._tensors.Add(tensor); // the old frame skips it: its Scope no longer points there
    }

    /// <summary>Takes a tensor out of every scope (for long-lived internal tensors such as sentinels).</summary>
    public static Tensor Unscoped(Tensor tensor)
    {
        MoveTo(tensor, null);
        return tensor;
    }

    /// <summary>Ends <paramref name="frame"/> and every frame opened inside it.</summary>
    public static void PopThrough(ScopeFrame frame)
    {
        while (t_current is { } inner && inner.Depth >= frame.Depth)
        {
            inner.Release();
            t_current = inner.Outer;
        }
    }

    private void Release()
    {
        IsOpen = false;
        // Storage shared with a tensor that moved out (a kept view, say) must not be recycled.
        foreach (var t in _tensors)
            if (!ReferenceEquals(t.Scope, this) && t.StorageOrNull is { } data) _kept.Add(data);
        foreach (var t in _tensors)
        {
            if (!ReferenceEquals(t.Scope, this)) continue;
            var data = t.ReleaseStorage();
            if (data is not null && !_kept.Contains(data)) BufferPool.Return(data);
        }
        _tensors.Clear();
        _kept.Clear();
        Arena?.EndStep();
        Arena = null;
    }
}
