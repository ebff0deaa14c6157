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
    /// <returns>The scope.</returns>
    public static IDisposable Set(bool enabled)
    {
        var scope = new Scope(!t_disabled);
        t_disabled = !enabled;
        return scope;
    }

    private sealed class Scope(bool previous) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            t_disabled = !previous;
        }
    }
}
