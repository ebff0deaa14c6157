using System.Diagnostics;
using SharpGrad.Kernels;

namespace SharpGrad.Benchmarks;

/// <summary>
/// The <c>fusions</c> benchmark: each fused operation against the same computation written with separate
/// operations, on the 784-100-10 shapes (batch 100, float32, 1 thread): median time and bytes allocated per call.
/// </summary>
internal static class FusionBenchmark
{
    public static void Run()
    {
        int saved = KernelSettings.Threads;
        KernelSettings.Threads = 1;
        try
        {
            var g = new Generator(3);
            var x = Tensor.RandomUniform(g, 0, 1, DType.Float32, 100, 784);
            var w = Tensor.RandomNormal(g, 0, 0.05, DType.Float32, 100, 784).WithRequiresGrad();
            var b = Tensor.Zeros(100).WithRequiresGrad();
            var h = Tensor.RandomNormal(g, 0, 1, DType.Float32, 100, 100);
            var gradH = Tensor.RandomNormal(g, 0, 1, DType.Float32, 100, 100);
            var logits = Tensor.RandomNormal(g, 0, 1, DType.Float32, 100, 10).WithRequiresGrad();
            var labels = Enumerable.Range(0, 100).Select(i => i % 10).ToArray();

            Console.WriteLine("\nFusions (784-100-10 shapes, batch 100, float32, 1 thread): fused vs separate operations");
            Console.WriteLine("| fusion | fused ms | separate ms | fused bytes | separate bytes |");
            Console.WriteLine("|---|---:|---:|---:|---:|");
            Row("affine forward+backward (x·Wᵀ + b)",
                () => { Ops.Linear.Apply(x, w, b).Sum().Backward(); },
                () => { (Ops.MatMul.Apply(x, w, transB: true) + b).Sum().Backward(); },
                () => { w.ZeroGrad(); b.ZeroGrad(); });
            var relu = h.WithRequiresGrad().Relu();
            Row("relu backward (g where x > 0)",
                () => { using (GradMode.Set(false)) relu.Creator!.Backward(gradH); }, // as the engine runs it
                () => { using (GradMode.Set(false)) _ = gradH * Ops.Kernel.PositiveMask(h); },
                () => { });
            Row("softmax cross-entropy forward+backward ((p − onehot)·g/N; separate = the recorded-ops path)",
                () => { Functional.SoftmaxCrossEntropy(logits, labels).Backward(); },
                () => { Functional.SoftmaxCrossEntropy(logits, labels).Backward(createGraph: true); },
                () => { logits.Grad = null; });
        }
        finally
        {
            KernelSettings.Threads = saved;
        }
    }

    private static void Row(string name, Action fused, Action separate, Action reset)
    {
        var (fusedMs, fusedBytes) = Measure(fused, reset);
        var (separateMs, separateBytes) = Measure(separate, reset);
        Console.WriteLine($"| {name} | {fusedMs:F4} | {separateMs:F4} | {fusedBytes:N0} | {separateBytes:N0} |");
    }

    private static (double Ms, double Bytes) Measure(Action action, Action reset)
    {
        Stats.WarmUp(() => { action(); reset(); });
        const int runs = 301;
        var samples = new double[runs];
        var clock = new Stopwatch();
        long before = GC.GetTotalAllocatedBytes(precise: true);
        for (int i = 0; i < runs; i++)
        {
            clock.Restart();
            action();
            samples[i] = clock.Elapsed.TotalMilliseconds;
            reset();
        }
        long after = GC.GetTotalAllocatedBytes(precise: true);
        return (Stats.Median(samples), (after - before) / (double)runs);
    }
}
