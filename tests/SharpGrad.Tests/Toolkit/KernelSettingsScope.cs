using SharpGrad.Kernels;

namespace SharpGrad.Tests.Toolkit;

/// <summary>
/// Sets <see cref="KernelSettings"/> for one test and restores all of them (Threads, ForcePortable and PathOverride)
/// on dispose, whichever the test changed. A test that uses it belongs in <c>[Collection("KernelSettings")]</c>, so
/// that no test running beside it sees its settings.
/// </summary>
internal sealed class KernelSettingsScope : IDisposable
{
    private readonly int _threads = KernelSettings.Threads;
    private readonly bool _forcePortable = KernelSettings.ForcePortable;
    private readonly KernelPath? _path = KernelSettings.PathOverride;

    /// <summary>Changes nothing itself: for a test whose code under test sets the settings (train's --threads, say).</summary>
    public KernelSettingsScope()
    {
    }

    /// <summary>Sets <see cref="KernelSettings.Threads"/> only; the vector path stays as the machine and environment chose it.</summary>
    /// <param name="threads">The threads a kernel may use.</param>
    public KernelSettingsScope(int threads) => KernelSettings.Threads = threads;

    /// <summary>
    /// Sets all three, so the kernels run on exactly the path given whatever <c>SHARPGRAD_FORCE_PORTABLE</c> says.
    /// </summary>
    /// <param name="threads">The threads a kernel may use.</param>
    /// <param name="forcePortable">Whether to force the portable path.</param>
    /// <param name="path">The path override; null for none (the machine's own path, or the portable one when forced).</param>
    public KernelSettingsScope(int threads, bool forcePortable, KernelPath? path = null)
    {
        KernelSettings.Threads = threads;
        KernelSettings.ForcePortable = forcePortable;
        KernelSettings.PathOverride = path;
    }

    public void Dispose()
    {
        KernelSettings.Threads = _threads;
        KernelSettings.ForcePortable = _forcePortable;
        KernelSettings.PathOverride = _path;
    }
}
