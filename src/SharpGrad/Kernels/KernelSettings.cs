using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SharpGrad.Kernels;

/// <summary>
/// Process-wide knobs for the numeric kernels (currently <see cref="Gemm"/>). Every kernel call reads the
/// settings once on entry, so changing them while another thread is inside a kernel is safe: that call
/// finishes with the values it started with.
/// </summary>
public static class KernelSettings
{
    private static volatile int s_threads = Environment.ProcessorCount;
    private static volatile bool s_forcePortable = Environment.GetEnvironmentVariable("SHARPGRAD_FORCE_PORTABLE") == "1";

    /// <summary>
    /// Gets or sets the maximum number of threads a kernel may use, including the calling thread.
    /// Defaults to <see cref="Environment.ProcessorCount"/>. <c>1</c> means the kernel runs on the calling
    /// thread only. Results are bit-identical for every value. Values above the core count are allowed (the work is
    /// cut into that many parts and a worker thread is kept for each), up to <see cref="MaxThreads"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1 or more than <see cref="MaxThreads"/>.</exception>
    public static int Threads
    {
        get => s_threads;
        set
        {
            if (value is < 1 or > MaxThreads)
                throw new ArgumentOutOfRangeException(nameof(value), $"KernelSettings.Threads must be between 1 and {MaxThreads}, not {value} (this machine has {Environment.ProcessorCount} cores).");
            s_threads = value;
        }
    }

    /// <summary>The largest <see cref="Threads"/> accepted: each thread beyond the first is a worker kept for the process's lifetime.</summary>
    public const int MaxThreads = 256;

    /// <summary>
    /// Gets or sets whether kernels must use the portable <see cref="System.Numerics.Vector{T}"/> path instead of
    /// <see cref="Vector512"/> or <see cref="Vector256"/> intrinsics. Initialised from the environment variable
    /// <c>SHARPGRAD_FORCE_PORTABLE=1</c>.
    /// </summary>
    public static bool ForcePortable
    {
        get => s_forcePortable;
        set => s_forcePortable = value;
    }

    /// <summary>
    /// Gets the name of the vector path kernels use right now: <c>"Vector512"</c>, <c>"Vector256"</c> or
    /// <c>"Portable"</c>.
    /// </summary>
    public static string VectorPath => ActivePath switch
    {
        KernelPath.Vector512 => "Vector512",
        KernelPath.Vector256 => "Vector256",
        _ => "Portable",
    };

    /// <summary>Test hook: when set, overrides hardware detection (a software-emulated path is still correct).</summary>
    internal static KernelPath? PathOverride { get; set; }

    internal static KernelPath ActivePath
    {
        get
        {
            if (PathOverride is { } forced)
                return forced;
            if (s_forcePortable)
                return KernelPath.Portable;
            if (Vector512.IsHardwareAccelerated && Avx512F.IsSupported)
                return KernelPath.Vector512;
            // Vector256.FusedMultiplyAdd is emulated (slowly) without FMA3, so require it.
            if (Vector256.IsHardwareAccelerated && Fma.IsSupported)
                return KernelPath.Vector256;
            return KernelPath.Portable;
        }
    }
}

/// <summary>The instruction-set path a kernel runs on.</summary>
internal enum KernelPath
{
    Portable,
    Vector256,
    Vector512,
}
