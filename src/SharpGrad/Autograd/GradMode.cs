namespace SharpGrad;

/// <summary>
/// Whether operations record the graph on the current thread. Recording is on by default; a
/// <see cref="Tensor.NoGrad"/> scope turns it off (for evaluation and optimizer updates), and the engine turns
/// it off while running a backward pass unless asked to build a graph of the backward (<c>createGraph</c>).
/// </summary>
public static class GradMode
{
    [ThreadStatic] private static bool t_disabled;

    /// <summary>True when operations on tensors that require gradients are recorded.</summary>
    public static bool IsEnabled => !t_disabled;

    /// <summary>Sets recording on or off until the returned scope is disposed, which restores the previous state.</summary>
    /// <param name="enabled">Whether to record.</param>
    /// <returns>The scope (a struct: entering and leaving it allocates nothing).</returns>
    public static GradModeScope Set(bool enabled)
    {
        var scope = new GradModeScope(!t_disabled);
        t_disabled = !enabled;
        return scope;
    }

    /// <summary>Restores the recording state that was current when the scope began.</summary>
    /// <param name="previous">Whether recording was on.</param>
    internal static void Restore(bool previous) => t_disabled = !previous;
}

/// <summary>The scope returned by <see cref="GradMode.Set"/> and <see cref="Tensor.NoGrad"/>: disposing it restores the previous recording state.</summary>
public readonly struct GradModeScope : IDisposable
{
    private readonly bool _previous;

    internal GradModeScope(bool previous) => _previous = previous;

    /// <summary>Restores the recording state that was current when the scope began.</summary>
    public void Dispose() => GradMode.Restore(_previous);
}
