using System.Diagnostics;

namespace SharpGrad.Benchmarks;

/// <summary>Small statistics helpers for benchmark samples.</summary>
internal static class Stats
{
    /// <summary>The median of the samples (mean of the middle two for an even count).</summary>
    public static double Median(double[] samples)
    {
        double[] sorted = [.. samples];
        Array.Sort(sorted);
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>
    /// Runs <paramref name="step"/> for at least 2 s and 20 times: the JIT's tiered compilation replaces the first,
    /// unoptimised code of hot methods (TensorPrimitives' generic kernels among them) only after a delay, so a
    /// short warm-up times tier-0 code. It also fills the buffer pool.
    /// </summary>
    public static void WarmUp(Action step)
    {
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < 20 || clock.Elapsed.TotalSeconds < 2; i++) step();
    }
}
