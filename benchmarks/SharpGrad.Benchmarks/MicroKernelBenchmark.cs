using System.Diagnostics;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using SharpGrad.Kernels;

namespace SharpGrad.Benchmarks;

/// <summary>
/// The <c>microkernel</c> benchmark: the GEMM's register-blocked micro-kernel alone, one MR × NR tile over packed
/// panels (k = 256) that stay in L1, as a ratio to the FMA peak measured just before it, on one thread. It tells the
/// inner loop's own ceiling apart from what the memory hierarchy costs the whole GEMM: a whole GEMM below this figure
/// loses the difference in packing, edges and cache misses, not in the loop.
/// </summary>
internal static unsafe class MicroKernelBenchmark
{
    private const int Kc = 256;
    private const int Rounds = 7;

    public static void Run()
    {
        int saved = KernelSettings.Threads;
        KernelSettings.Threads = 1;
        try
        {
            Console.WriteLine($"\nGEMM micro-kernel alone, operands in L1 (k = {Kc}), 1 thread, path {KernelSettings.VectorPath}: median of {Rounds} rounds, each against the FMA peak measured just before it");
            Console.WriteLine("| dtype | tile MR × NR | GFLOP/s | FMA peak | % of peak | round range |");
            Console.WriteLine("|---|---|---:|---:|---:|---|");
            Row<float>();
            Row<double>();
        }
        finally
        {
            KernelSettings.Threads = saved;
        }
    }

    private static void Row<T>()
        where T : unmanaged, INumber<T>
    {
        var (tile, run) = KernelSettings.ActivePath switch
        {
            KernelPath.Vector512 => Kernel<Simd512<T>, Vector512<T>, T>(),
            KernelPath.Vector256 => Kernel<Simd256<T>, Vector256<T>, T>(),
            _ => Kernel<SimdPortable<T>, Vector<T>, T>(),
        };
        int mr = tile.Mr, nr = tile.Nr;
        T* a = (T*)NativeMemory.AlignedAlloc((nuint)(mr * Kc * sizeof(T)), 64);
        T* b = (T*)NativeMemory.AlignedAlloc((nuint)(nr * Kc * sizeof(T)), 64);
        T* c = (T*)NativeMemory.AlignedAlloc((nuint)(mr * nr * sizeof(T)), 64);
        try
        {
            // Small values: the sums stay normal numbers (a subnormal would take a microcode assist).
            for (int i = 0; i < mr * Kc; i++) a[i] = T.CreateChecked((i % 7) + 1) / T.CreateChecked(1000);
            for (int i = 0; i < nr * Kc; i++) b[i] = T.CreateChecked((i % 5) + 1) / T.CreateChecked(1000);
            const int calls = 100_000;
            Stats.WarmUp(() => run(a, b, c, 1000));
            var rates = new double[Rounds];
            var ratios = new double[Rounds];
            var peaks = new double[Rounds];
            for (int r = 0; r < Rounds; r++)
            {
                peaks[r] = FmaPeak.Measure<T>(1, repetitions: 3, iterations: 20_000_000);
                long start = Stopwatch.GetTimestamp();
                run(a, b, c, calls);
                double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
                rates[r] = 2.0 * mr * nr * Kc * calls / seconds / 1e9;
                ratios[r] = rates[r] / peaks[r];
            }

            Console.WriteLine($"| {(typeof(T) == typeof(float) ? "fp32" : "fp64")} | {mr} × {nr} | {Stats.Median(rates):F1} | {Stats.Median(peaks):F1} | {100 * Stats.Median(ratios):F0} % | {100 * ratios.Min():F0}–{100 * ratios.Max():F0} % |");
        }
        finally
        {
            NativeMemory.AlignedFree(a);
            NativeMemory.AlignedFree(b);
            NativeMemory.AlignedFree(c);
        }
    }

    private delegate void TileRun<T>(T* a, T* b, T* c, int calls)
        where T : unmanaged;

    /// <summary>The active path's full tile, run <c>calls</c> times over the same packed panels (aRow = 1, aStep = MR, bStep = NR).</summary>
    private static ((int Mr, int Nr) Tile, TileRun<T> Run) Kernel<TOps, TVec, T>()
        where TOps : struct, ISimd<TVec, T>
        where TVec : unmanaged
        where T : unmanaged
    {
        int mr = GemmMicroKernel<TOps, TVec, T>.MR, nr = GemmMicroKernel<TOps, TVec, T>.NR;
        return ((mr, nr), (a, b, c, calls) =>
        {
            for (int i = 0; i < calls; i++)
                GemmMicroKernel<TOps, TVec, T>.Run(Kc, a, 1, mr, b, nr, c, nr, loadC: false);
        });
    }
}
