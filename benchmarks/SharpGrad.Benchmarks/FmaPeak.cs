using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using SharpGrad.Kernels;

namespace SharpGrad.Benchmarks;

/// <summary>
/// Measures the machine's fused-multiply-add peak in this process: twelve independent accumulator chains
/// of the widest accelerated vector, on 1..T threads at once. GEMM results are reported as a ratio to it.
/// </summary>
internal static class FmaPeak
{
    private const long DefaultIterations = 50_000_000;

    /// <summary>Name of the vector type the peak loop uses.</summary>
    public static string VectorName =>
        Vector512.IsHardwareAccelerated ? "Vector512" : Vector256.IsHardwareAccelerated ? "Vector256" : "Vector<T>";

    /// <summary>Median over <paramref name="repetitions"/> runs of the aggregate GFLOP/s of <paramref name="threads"/> threads.</summary>
    public static double Measure<T>(int threads, int repetitions = 5, long iterations = DefaultIterations)
        where T : unmanaged
    {
        var samples = new double[repetitions];
        for (int r = 0; r < repetitions; r++)
            samples[r] = MeasureOnce<T>(threads, iterations);
        return Stats.Median(samples);
    }

    private static double MeasureOnce<T>(int threads, long iterations)
        where T : unmanaged
    {
        (Func<long, int> loop, int lanes) = typeof(T) == typeof(float)
            ? Select<float>()
            : Select<double>();
        loop(1000); // JIT warm-up
        using var start = new Barrier(threads + 1);
        var workers = new Thread[threads];
        for (int t = 0; t < threads; t++)
        {
            workers[t] = new Thread(() => { start.SignalAndWait(); loop(iterations); });
            workers[t].Start();
        }

        start.SignalAndWait();
        long begin = Stopwatch.GetTimestamp();
        foreach (Thread worker in workers)
            worker.Join();
        double seconds = Stopwatch.GetElapsedTime(begin).TotalSeconds;
        return threads * iterations * 12.0 * lanes * 2 / seconds / 1e9;
    }

    private static (Func<long, int> Loop, int Lanes) Select<T>()
        where T : unmanaged
    {
        if (Vector512.IsHardwareAccelerated)
            return (Loop<Simd512<T>, Vector512<T>, T>, Vector512<T>.Count);
        if (Vector256.IsHardwareAccelerated)
            return (Loop<Simd256<T>, Vector256<T>, T>, Vector256<T>.Count);
        return (Loop<SimdPortable<T>, Vector<T>, T>, Vector<T>.Count);
    }

    // Call-free so the twelve accumulators stay in registers.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static unsafe int Loop<TOps, TVec, T>(long iterations)
        where TOps : struct, ISimd<TVec, T>
        where TVec : unmanaged
        where T : unmanaged
    {
        T* scalars = stackalloc T[2];
        scalars[0] = typeof(T) == typeof(float) ? (T)(object)0.999999f : (T)(object)0.999999;
        scalars[1] = typeof(T) == typeof(float) ? (T)(object)1e-7f : (T)(object)1e-7;
        TVec x = TOps.Broadcast(scalars), y = TOps.Broadcast(scalars + 1);
        TVec a0 = y, a1 = y, a2 = y, a3 = y, a4 = y, a5 = y, a6 = y, a7 = y, a8 = y, a9 = y, a10 = y, a11 = y;
        for (long i = 0; i < iterations; i++)
        {
            a0 = TOps.MultiplyAdd(a0, x, y); a1 = TOps.MultiplyAdd(a1, x, y); a2 = TOps.MultiplyAdd(a2, x, y);
            a3 = TOps.MultiplyAdd(a3, x, y); a4 = TOps.MultiplyAdd(a4, x, y); a5 = TOps.MultiplyAdd(a5, x, y);
            a6 = TOps.MultiplyAdd(a6, x, y); a7 = TOps.MultiplyAdd(a7, x, y); a8 = TOps.MultiplyAdd(a8, x, y);
            a9 = TOps.MultiplyAdd(a9, x, y); a10 = TOps.MultiplyAdd(a10, x, y); a11 = TOps.MultiplyAdd(a11, x, y);
        }

        // Fold the accumulators into something observable so the loop cannot be removed.
        TVec sum = TOps.MultiplyAdd(a0, a1, TOps.MultiplyAdd(a2, a3, TOps.MultiplyAdd(a4, a5,
            TOps.MultiplyAdd(a6, a7, TOps.MultiplyAdd(a8, a9, TOps.MultiplyAdd(a10, a11, y))))));
        T* result = stackalloc T[TOps.Count];
        TOps.Store(sum, result);
        return result[0].GetHashCode();
    }
}
