namespace SharpGrad.Nn;

/// <summary>
/// A building block of a neural network: it owns parameters (tensors that require gradients), buffers
/// (non-trainable state such as running statistics) and child modules, and maps an input tensor to an output.
/// </summary>
public abstract class Module
{
    private readonly List<(string Name, Tensor Tensor)> _parameters = [];
    private readonly List<(string Name, Tensor Tensor)> _buffers = [];
    private readonly List<(string Name, Module Module)> _children = [];

    /// <summary>True in training mode (the default), false in evaluation mode; layers such as Dropout behave differently.</summary>
    public bool Training { get; private set; } = true;

    /// <summary>Computes the module's output.</summary>
    /// <param name="input">The input tensor.</param>
    /// <returns>The output tensor.</returns>
    public abstract Tensor Forward(Tensor input);

    /// <summary>Sets training mode on this module and all its children.</summary>
    /// <param name="training">True for training, false for evaluation.</param>
    /// <returns>This module.</returns>
    public Module Train(bool training = true)
    {
        Training = training;
        foreach (var (_, child) in _children) child.Train(training);
        return this;
    }

    /// <summary>Sets evaluation mode on this module and all its children.</summary>
    /// <returns>This module.</returns>
    public Module Eval() => Train(false);

    /// <summary>All parameters of this module and its children, with dotted names such as "0.weight".</summary>
    /// <returns>The named parameters, in registration order.</returns>
    public IEnumerable<(string Name, Tensor Parameter)> NamedParameters() => Named(m => m._parameters);

    /// <summary>All buffers (non-trainable state) of this module and its children, with dotted names.</summary>
    /// <returns>The named buffers.</returns>
    public IEnumerable<(string Name, Tensor Buffer)> NamedBuffers() => Named(m => m._buffers);

    /// <summary>
    /// All parameters of this module and its children, each once (as in PyTorch): a module used in two places (tied
    /// layers) lists its parameters at their first place only, so an optimizer built from them updates each once, with
    /// the gradient summed over both uses. <see cref="NamedParameters"/> keeps every name.
    /// </summary>
    /// <returns>The parameters, in order of first appearance.</returns>
    public IEnumerable<Tensor> Parameters()
    {
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var (_, parameter) in NamedParameters())
            if (seen.Add(parameter)) yield return parameter;
    }

    /// <summary>The direct child modules with their names.</summary>
    public IReadOnlyList<(string Name, Module Module)> Children => _children;

    /// <summary>Clears the gradients of all parameters (fills them with zeros in place).</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters()) p.ZeroGrad();
    }

    /// <summary>Registers a trainable parameter; it is marked as requiring gradients.</summary>
    /// <param name="name">The name within this module.</param>
    /// <param name="parameter">The tensor.</param>
    /// <returns>The tensor.</returns>
    protected Tensor RegisterParameter(string name, Tensor parameter)
    {
        parameter.RequiresGrad = true;
        parameter.Name ??= name;
        _parameters.Add((name, parameter));
        return parameter;
    }

    /// <summary>Registers a non-trainable tensor that belongs to the module's state (saved with the model).</summary>
    /// <param name="name">The name within this module.</param>
    /// <param name="buffer">The tensor.</param>
    /// <returns>The tensor.</returns>
    protected Tensor RegisterBuffer(string name, Tensor buffer)
    {
        _buffers.Add((name, buffer));
        return buffer;
    }

    /// <summary>Registers a child module.</summary>
    /// <typeparam name="TModule">The module type.</typeparam>
    /// <param name="name">The name within this module.</param>
    /// <param name="module">The child.</param>
    /// <returns>The child.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="module"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="module"/> is this module or contains it: the module would
    /// contain itself, and listing its parameters, naming it or setting its mode would never end (a stack overflow).</exception>
    protected TModule RegisterModule<TModule>(string name, TModule module) where TModule : Module
    {
        ArgumentNullException.ThrowIfNull(module);
        if (module.Contains(this))
            throw new ArgumentException(ReferenceEquals(module, this)
                ? $"{Describe()}: child '{name}' is this module itself; a module cannot contain itself."
                : $"{Describe()}: child '{name}' ({module.Describe()}) contains this module; a module cannot contain itself.", nameof(module));
        _children.Add((name, module));
        return module;
    }

    /// <summary>Whether <paramref name="module"/> is this module or one of its descendants (each module visited once).</summary>
    private bool Contains(Module module)
    {
        var seen = new HashSet<Module>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<Module>();
        pending.Push(this);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            if (ReferenceEquals(current, module)) return true;
            if (!seen.Add(current)) continue;
            foreach (var (_, child) in current._children) pending.Push(child);
        }
        return false;
    }

    private IEnumerable<(string, Tensor)> Named(Func<Module, List<(string Name, Tensor Tensor)>> select)
    {
        foreach (var (name, t) in select(this)) yield return (name, t);
        foreach (var (childName, child) in _children)
            foreach (var (name, t) in child.Named(select)) yield return ($"{childName}.{name}", t);
    }

    /// <summary>A one-line description used by <see cref="ToString"/>, such as "Linear(784 → 100)".</summary>
    /// <returns>The description.</returns>
    public virtual string Describe() => GetType().Name;

    /// <inheritdoc/>
    public override string ToString() =>
        _children.Count == 0 ? Describe() : $"{Describe()}({string.Join(", ", _children.Select(c => c.Module.ToString()))})";
}
