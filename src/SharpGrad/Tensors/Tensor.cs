
namespace SharpGrad;

/// <summary>
/// An n-dimensional, row-major array of <see cref="float"/> or <see cref="double"/> values that can take part
/// in a computational graph. Operations on tensors that require gradients record the graph; calling
/// <see cref="Backward(Tensor?, bool, bool)"/> on a result sends derivatives back through it.
/// </summary>
/// <remarks>
/// Gradients of leaf tensors (those created by the user, with <see cref="RequiresGrad"/> set) accumulate across
/// <c>Backward</c> calls, as in PyTorch: call <see cref="ZeroGrad"/> (or an optimizer's <c>ZeroGrad</c>) between
/// steps. Intermediate tensors keep their gradient only after <see cref="RetainGrad"/>.
/// </remarks>
public sealed partial class Tensor
{
    private int[] _shape;
    private bool _requiresGrad;

    private Array? _data;
    private bool _ownsData;
    private Tensor? _grad;

    /// <summary>
    /// Wraps <paramref name="data"/> (not copied). <paramref name="ownsData"/> marks storage taken from the buffer pool
    /// and referenced by no other tensor at creation, which goes back to the pool when this tensor's scope ends.
    /// </summary>
    internal Tensor(Array data, int[] shape, bool ownsData = false)
    {
        _shape = shape;
        Initialize(data, shape, ownsData);
    }

    /// <summary>Sets the storage and shape and registers the tensor with the innermost <see cref="TensorScope"/>.</summary>
    private void Initialize(Array data, int[] shape, bool ownsData)
    {
        var dtype = data is float[] ? DType.Float32 : data is double[] ? DType.Float64
            : throw new ArgumentException($"Unsupported storage type {data.GetType().Name}.");
        int length = Shapes.Size(shape);
        if (data.Length != length)
            throw new ArgumentException($"{data.Length} values cannot fill shape {Shapes.Format(shape)}, which holds {length}.");
        _data = data;
        _ownsData = ownsData;
        _shape = shape;
        DType = dtype;
        Length = length;
        ScopeFrame.Register(this);
    }

    /// <summary>
    /// A tensor over <paramref name="data"/>: inside a scope begun on a <see cref="StepArena"/>, the object that held
    /// this place in the step before last is reused (with its shape array when the shape is equal); otherwise a new one.
    /// </summary>
    /// <param name="data">The storage (taken, not copied).</param>
    /// <param name="shapeArray">The shape as an array the tensor may keep, or null to use <paramref name="shape"/>.</param>
    /// <param name="shape">The shape, copied only when no equal array is at hand.</param>
    /// <param name="ownsData">Whether the storage goes back to the buffer pool with the tensor.</param>
    internal static Tensor Create(Array data, int[]? shapeArray, ReadOnlySpan<int> shape, bool ownsData)
    {
        if (ScopeFrame.Current?.Arena is not { } arena) return new Tensor(data, shapeArray ?? shape.ToArray(), ownsData);
        if (arena.NextTensor() is { } reused)
        {
            reused.Reinitialize(data, shapeArray ?? (Shapes.Equal(reused._shape, shape) ? reused._shape : shape.ToArray()), ownsData);
            return reused;
        }
        var fresh = new Tensor(data, shapeArray ?? shape.ToArray(), ownsData);
        arena.PlaceTensor(fresh);
        return fresh;
    }

    /// <summary>Makes a released tensor object new again: no gradient, no graph, no name, version 0, one incarnation later.</summary>
    private void Reinitialize(Array data, int[] shape, bool ownsData)
    {
        Initialize(data, shape, ownsData); // validates before changing anything
        _requiresGrad = false;
        _grad = null;
        _gradPendingZero = false;
        Name = null;
        Creator = null;
        RetainsGrad = false;
        _version = 0;
        _versionOwner = null;
        RecyclableIn = null;
        Incarnation++;
    }

    /// <summary>Counts the times a <see cref="StepArena"/> has reused this object; a node that saved it notices a change.</summary>
    internal int Incarnation { get; private set; }

    /// <summary>The arena that may reuse this object: set when the arena's scope released it.</summary>
    internal StepArena? RecyclableIn { get; set; }

    /// <summary>The element storage: a <c>float[]</c> or a <c>double[]</c>, row-major, of exactly <see cref="Length"/> elements.</summary>
    /// <exception cref="ObjectDisposedException">The tensor was released when its <see cref="TensorScope"/> ended.</exception>
    internal Array Data => _data ?? throw Released();

    /// <summary>The storage, or null once released (for the scope's bookkeeping).</summary>
    internal Array? StorageOrNull => _data;

    /// <summary>The <see cref="TensorScope"/> this tensor belongs to, or null.</summary>
    internal ScopeFrame? Scope { get; set; }

    /// <summary>True once the tensor's scope has ended and its values are gone.</summary>
    public bool IsReleased => _data is null;

    /// <summary>Drops the storage (the scope is ending); returns it when this tensor owned it, so it can be recycled.</summary>
    internal Array? ReleaseStorage()
    {
        var data = _data;
        _data = null;
        Scope = null;
        return _ownsData ? data : null;
    }

    private ObjectDisposedException Released() => new(nameof(Tensor),
        $"This tensor (shape {Shapes.Format(_shape)}, {DType}{(Name is null ? "" : $", '{Name}'")}) was released when the TensorScope it was created in ended. " +
        "Read what you need inside the scope (Item(), ToFloatArray()), or keep the tensor with scope.Keep(tensor).");

    /// <summary>The element type.</summary>
    public DType DType { get; private set; }

    /// <summary>The dimensions, outermost first. A scalar has an empty shape.</summary>
    public ReadOnlySpan<int> Shape => _shape;

    /// <summary>The dimensions as a fresh array.</summary>
    /// <returns>A copy of <see cref="Shape"/>.</returns>
    public int[] ShapeArray() => (int[])_shape.Clone();

    internal int[] ShapeRef => _shape;

    /// <summary>The number of dimensions.</summary>
    public int Rank => _shape.Length;

    /// <summary>The number of elements.</summary>
    public int Length { get; private set; }

    /// <summary>An optional name, shown in pictures of the graph and in <see cref="ToString"/>.</summary>
    public string? Name { get; set; }

    /// <summary>
    /// Whether operations on this tensor are recorded so that gradients can flow back to it. Only leaf tensors
    /// can be switched; results of recorded operations require gradients automatically.
    /// </summary>
    /// <exception cref="InvalidOperationException">Set on a non-leaf tensor.</exception>
    public bool RequiresGrad
    {
        get => _requiresGrad;
        set
        {
            if (Creator is not null)
                throw new InvalidOperationException("RequiresGrad can only be changed on a leaf tensor; use Detach() to cut a tensor from its graph.");
            _requiresGrad = value;
        }
    }

    /// <summary>The gradient accumulated by <c>Backward</c>: same shape and dtype as this tensor, or null before any.</summary>
    /// <remarks>
    /// Only leaves (tensors no operation made, such as parameters) keep their gradient, as in PyTorch: for an
    /// intermediate result it stays null unless <see cref="RetainGrad"/> was called on it before <c>Backward</c>.
    /// A gradient assigned to a tensor from outside the current <see cref="TensorScope"/> moves out of that scope with it.</remarks>
    /// <exception cref="ArgumentException">The assigned gradient's shape or dtype differs from this tensor's (PyTorch refuses it too:
    /// an optimizer would step with the wrong numbers, or only the first few).</exception>
    public Tensor? Grad
    {
        get
        {
            if (_gradPendingZero) FillPendingZeros();
            return _grad;
        }
        set
        {
            if (value is not null && (value.DType != DType || !Shapes.Equal(value.Shape, _shape)))
                throw new ArgumentException(
                    $"Cannot assign a gradient of shape {Shapes.Format(value.Shape)} ({value.DType}) to a tensor of shape {Shapes.Format(_shape)} ({DType}): a gradient must have the tensor's shape and dtype.",
                    nameof(value));
            if (value?.Scope is { } scope && (Scope is null || scope.Depth > Scope.Depth)) ScopeFrame.MoveTo(value, Scope);
            _grad = value;
            _gradPendingZero = false;
        }
    }

    /// <summary>
    /// Set by <see cref="ZeroGrad"/>: the gradient buffer stands for zeros but has not been filled. The next backward
    /// writes its gradient over the buffer instead of adding to it (saving a pass that writes zeros and a pass that
    /// reads them), and reading <see cref="Grad"/> first fills it.
    /// </summary>
    private bool _gradPendingZero;

    /// <summary>The gradient buffer as it is (not filled with pending zeros), for the engine.</summary>
    internal Tensor? GradBuffer => _grad;

    /// <summary>Whether <see cref="GradBuffer"/> stands for zeros it does not yet hold.</summary>
    internal bool GradPendingZero => _gradPendingZero;

    /// <summary>Records that the engine has written a whole gradient over the buffer.</summary>
    internal void GradBufferWritten() => _gradPendingZero = false;

    private void FillPendingZeros()
    {
        Kernels.ParallelRanges.Clear(_grad!.Data);
        _gradPendingZero = false;
    }

    /// <summary>The operation node that produced this tensor, or null for a leaf.</summary>
    public Node? Creator { get; internal set; }

    /// <summary>True for tensors not produced by a recorded operation.</summary>
    public bool IsLeaf => Creator is null;

    /// <summary>Whether a non-leaf tensor keeps its gradient after <c>Backward</c> (see <see cref="RetainGrad"/>).</summary>
    public bool RetainsGrad { get; private set; }

    /// <summary>The generation of this tensor in its graph: 0 for leaves, one more than its creator's inputs otherwise.</summary>
    internal int Generation => Creator?.Generation + 1 ?? 0;

    /// <summary>
    /// Incremented by every in-place change of the values; a node that saved this tensor checks it in its
    /// backward, so a modified saved value raises an error instead of giving a wrong gradient. Tensors that share
    /// storage (a <see cref="Reshape(int[])"/> result or a <see cref="Detach"/>ed copy and the tensor it came from)
    /// share one counter, as in PyTorch: a change through either is seen by nodes that saved the other.
    /// </summary>
    public int Version => VersionOwner is { } owner ? owner._version : _version;

    private int _version;

    /// <summary>The tensor whose storage and version counter this one shares, or null when it has its own.</summary>
    private Tensor? _versionOwner;

    /// <summary>The owner's <see cref="Incarnation"/> when the sharing began: a reused owner no longer shares.</summary>
    private int _versionOwnerIncarnation;

    private Tensor? VersionOwner => _versionOwner is { } owner && owner.Incarnation == _versionOwnerIncarnation ? owner : null;

    internal void BumpVersion()
    {
        if (VersionOwner is { } owner) owner._version++;
        else _version++;
    }

    /// <summary>Makes this tensor, a new alias of <paramref name="source"/>'s storage, share its version counter.</summary>
    /// <returns>This tensor.</returns>
    internal Tensor ShareVersionWith(Tensor source)
    {
        var owner = source.VersionOwner ?? source;
        if (ReferenceEquals(owner, this)) return this;
        _versionOwner = owner;
        _versionOwnerIncarnation = owner.Incarnation;
        return this;
    }

    internal void MarkRequiresGrad() => _requiresGrad = true;

    /// <summary>Makes this (non-leaf) tensor keep its gradient in <see cref="Grad"/> after <c>Backward</c>.</summary>
    /// <returns>This tensor.</returns>
    public Tensor RetainGrad()
    {
        RetainsGrad = true;
        return this;
    }

    /// <summary>
    /// Resets the accumulated gradient to zero, keeping the buffer for reuse. The zeros are written lazily: the next
    /// backward overwrites the buffer instead of adding to it, and reading <see cref="Grad"/> before that fills it.
    /// (A reference to the old gradient tensor taken before this call keeps its values until then, as in PyTorch,
    /// where <c>zero_grad()</c> drops the tensor.)
    /// </summary>
    public void ZeroGrad()
    {
        if (_grad is null) return;
        if (_grad.Creator is not null) Grad = null; // a gradient with its own graph is not reused in place
        else _gradPendingZero = true;
    }

    /// <summary>
    /// A tensor sharing these values but cut from the graph: a leaf that does not require gradients. It shares the
    /// <see cref="Version"/> counter too, so changing it in place is seen by the nodes that saved this tensor.
    /// </summary>
    /// <returns>The detached tensor.</returns>
    public Tensor Detach() => Create(Data, _shape, default, ownsData: false).ShareVersionWith(this);

    internal Span<T> Span<T>() => (T[])Data;

    internal float[] F => (float[])Data;

    internal double[] D => (double[])Data;

    /// <summary>Reads or writes one element, converted to or from <see cref="double"/>.</summary>
    /// <param name="index">One index per dimension (none for a scalar); negative indices count from the end.</param>
    /// <exception cref="IndexOutOfRangeException">Wrong number of indices, or an index out of range.</exception>
    [System.Runtime.CompilerServices.IndexerName("Element")]
    public double this[params int[] index]
    {
        get
        {
            int offset = Offset(index);
            return DType == DType.Float32 ? F[offset] : D[offset];
        }
        set
        {
            int offset = Offset(index);
            if (DType == DType.Float32) F[offset] = (float)value;
            else D[offset] = value;
            BumpVersion();
        }
    }

    private int Offset(int[] index)
    {
        if (index.Length != Rank)
            throw new IndexOutOfRangeException($"A tensor of shape {Shapes.Format(_shape)} takes {Rank} indices, not {index.Length}.");
        int offset = 0;
        for (int i = 0; i < Rank; i++)
        {
            int k = index[i] < 0 ? index[i] + _shape[i] : index[i];
            if (k < 0 || k >= _shape[i])
                throw new IndexOutOfRangeException($"Index {index[i]} is out of range for dimension {i} of shape {Shapes.Format(_shape)}.");
            offset = offset * _shape[i] + k;
        }
        return offset;
    }

    /// <summary>The single value of a one-element tensor.</summary>
    /// <returns>The value as a double.</returns>
    /// <exception cref="InvalidOperationException">The tensor has more or fewer than one element.</exception>
    public double Item()
    {
        if (Length != 1)
            throw new InvalidOperationException($"Item() needs a tensor with one element; this one has shape {Shapes.Format(_shape)}.");
        return DType == DType.Float32 ? F[0] : D[0];
    }

    /// <summary>True when no element is NaN or ±infinity.</summary>
    /// <returns>Whether every element is finite.</returns>
    public bool AllFinite() => AnomalyDetection.FirstNonFinite(this) < 0;

    /// <summary>A copy of the values as doubles, row-major.</summary>
    /// <returns>The values.</returns>
    public double[] ToDoubleArray() => DType == DType.Float64 ? (double[])D.Clone() : Array.ConvertAll(F, v => (double)v);

    /// <summary>A copy of the values as floats, row-major.</summary>
    /// <returns>The values.</returns>
    public float[] ToFloatArray() => DType == DType.Float32 ? (float[])F.Clone() : Array.ConvertAll(D, v => (float)v);

    /// <summary>A copy with the given element type (recorded in the graph, so gradients flow back through the cast).</summary>
    /// <param name="dtype">The element type wanted.</param>
    /// <returns>This tensor if it already has that type, else a converted copy.</returns>
    public Tensor To(DType dtype) => dtype == DType ? this : Ops.Cast.Apply(this, dtype);

    /// <summary>A compact description: shape, dtype and (abbreviated) values.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => TensorFormatter.Format(this);
}
