using System.Diagnostics;
using SharpGrad.Kernels;

namespace SharpGrad.Benchmarks;

/// <summary>
/// The <c>gemm</c> benchmark: in-process FMA peak, square GEMM throughput (NN/TN/NT, fp32/fp64, 1 and 2
/// threads) as a ratio to that peak, and time per call for the MNIST MLP shapes. All figures are medians.
/// </summary>
internal static class GemmBenchmark
{
    private const int Repetitions = 5;
    private static readonly int[] Sizes = [512, 1024, 2048];
    private static readonly int[] ThreadCounts = [1, 2];
    private static readonly (string Name, bool TransA, bool TransB)[] Forms = [("NN", false, false), ("TN", true, false), ("NT", false, true)];

    // MLP layers as (batch m, inputs k, outputs n), in the forms Linear uses (W stored out×in = n×k):
    // forward X(m×k)·Wᵀ (NT), gradW += gYᵀ·X (TN, accumulating, n×k result), gradX = gY·W (NN, m×k result).
    private static readonly (int M, int K, int N)[] MlpShapes = [(100, 784, 100), (100, 100, 10), (128, 784, 1000), (128, 1000, 1000), (128, 1000, 10)];

    public static void Run()
    {
        int savedThreads = KernelSettings.Threads;
        try
        {
            Console.WriteLine($"GEMM benchmark  {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC  .NET {Environment.Version}  {Environment.ProcessorCount} cores  path {KernelSettings.VectorPath}");
            var peaks = new Dictionary<(string, int), double>();
            Console.WriteLine($"\nFMA peak ({FmaPeak.VectorName}, 12 accumulators, measured now)");
            Console.WriteLine("| dtype | threads | peak GFLOP/s |");
            Console.WriteLine("|---|---:|---:|");
            foreach (int threads in ThreadCounts)
            {
                peaks[("fp32", threads)] = FmaPeak.Measure<float>(threads);
                peaks[("fp64", threads)] = FmaPeak.Measure<double>(threads);
                Console.WriteLine($"| fp32 | {threads} | {peaks[("fp32", threads)]:F1} |");
                Console.WriteLine($"| fp64 | {threads} | {peaks[("fp64", threads)]:F1} |");
            }

            // The machine may be shared: each row also re-measures the peak just before it ("adjacent").
            Console.WriteLine("\nSquare GEMM, n = m = k (median of 5)");
            Console.WriteLine("| dtype | threads | n | form | GFLOP/s | % of peak | adjacent peak | % of adjacent |");
            Console.WriteLine("|---|---:|---:|---|---:|---:|---:|---:|");
            SquareTable<float>("fp32", peaks);
            SquareTable<double>("fp64", peaks);

            Console.WriteLine("\nMLP shapes, fp32, µs per call (median of 5); layer m×k×n = batch×inputs×outputs");
            Console.WriteLine("| layer m×k×n | threads | forward NT | gradW TN (+=) | gradX NN |");
            Console.WriteLine("|---|---:|---:|---:|---:|");
            foreach ((int m, int k, int n) in MlpShapes)
            {
                foreach (int threads in ThreadCounts)
                {
                    KernelSettings.Threads = threads;
                    float[] x = Random<float>(m * k), w = Random<float>(k * n), gy = Random<float>(m * n);
                    float[] y = new float[m * n], gw = new float[k * n], gx = new float[m * k];
                    double forward = MicrosecondsPerCall(() => Gemm.Multiply(x, w, y, m, n, k, transB: true));
                    double gradW = MicrosecondsPerCall(() => Gemm.Multiply(gy, x, gw, n, k, m, transA: true, accumulate: true));
                    double gradX = MicrosecondsPerCall(() => Gemm.Multiply(gy, w, gx, m, k, n));
                    Console.WriteLine($"| {m}×{k}×{n} | {threads} | {forward:F1} | {gradW:F1} | {gradX:F1} |");
                }
            }
        }
        finally
        {
            KernelSettings.Threads = savedThreads;
        }
    }

    private static void SquareTable<T>(string dtype, Dictionary<(string, int), double> peaks)
        where T : unmanaged
    {
        foreach (int threads in ThreadCounts)
        {
            KernelSettings.Threads = threads;
            foreach (int size in Sizes)
            {
                T[] a = Random<T>(size * size), b = Random<T>(size * size), c = new T[size * size];
                foreach ((string name, bool transA, bool transB) in Forms)
                {
                    double adjacent = FmaPeak.Measure<T>(threads, repetitions: 3, iterations: 5_000_000);
                    double micros = MicrosecondsPerCall(() => Multiply(a, b, c, size, transA, transB));
                    double gflops = 2.0 * size * size * size / micros / 1e3;
                    double ratio = gflops / peaks[(dtype, threads)];
                    Console.WriteLine($"| {dtype} | {threads} | {size} | {name} | {gflops:F1} | {ratio:P0} | {adjacent:F1} | {gflops / adjacent:P0} |");
                }
            }
        }
    }

    private static void Multiply<T>(T[] a, T[] b, T[] c, int size, bool transA, bool transB)
    {
        if (a is float[] af)
            Gemm.Multiply(af, (float[])(object)b, (float[])(object)c, size, size, size, transA, transB);
        else
            Gemm.Multiply((double[])(object)a, (double[])(object)b, (double[])(object)c, size, size, size, transA, transB);
    }

    /// <summary>Median over repetitions of the mean time per call, each repetition running for at least ~50 ms.</summary>
    private static double MicrosecondsPerCall(Action call)
    {
        call();
        long start = Stopwatch.GetTimestamp();
        int calls = 0;
        while (Stopwatch.GetElapsedTime(start).TotalMilliseconds < 50)
        {
            call();
            calls++;
        }

        var samples = new double[Repetitions];
        for (int r = 0; r < Repetitions; r++)
        {
            long begin = Stopwatch.GetTimestamp();
            for (int i = 0; i < calls; i++)
                call();
            samples[r] = Stopwatch.GetElapsedTime(begin).TotalMicroseconds / calls;
        }

        return Stats.Median(samples);
    }

    private static T[] Random<T>(int length)
    {
        var random = new Random(42);
        var values = new T[length];
        for (int i = 0; i < length; i++)
            values[i] = typeof(T) == typeof(float) ? (T)(object)(float)(random.NextDouble() - 0.5) : (T)(object)(random.NextDouble() - 0.5);
        return values;
    }
}
