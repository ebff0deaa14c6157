using System.Diagnostics;
using SharpGrad.Kernels;
using SharpGrad.Nn;
using SharpGrad.Optim;

namespace SharpGrad.Benchmarks;

/// <summary>
/// The <c>mlp</c> benchmark: one float32 training step (forward, backward, SGD update) of the two reference
/// networks on 1 and 2 threads, as the median over repeated steps, with the managed bytes allocated per step and
/// the step's arithmetic rate as a ratio to the FMA peak measured in the same run. Also the cost of recording the
/// backward (createGraph) against the default backward.
/// </summary>
internal static class MlpBenchmark
{
    private static readonly (string Name, int[] Layers, int Batch, double TargetMs1, double TargetMs2)[] Networks =
    [
        ("784-100-10", [784, 100, 10], 100, 0.4, double.NaN),
        ("784-1000-1000-10", [784, 1000, 1000, 10], 128, 12, 7),
    ];

    public static void Run()
    {
        int savedThreads = KernelSettings.Threads;
        try
        {
            Console.WriteLine($"\nMLP training step (float32, SGD momentum 0.9)  {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC  path {KernelSettings.VectorPath}");
            Console.WriteLine("| network | batch | threads | median ms/step | target ms | GFLOP/s | FMA peak | % of peak | bytes allocated/step (all threads) | of which this thread | GCs in the timed steps |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var net in Networks)
            {
                foreach (int threads in new[] { 1, 2 })
                {
                    KernelSettings.Threads = threads;
                    var (ms, bytes, threadBytes, collections) = MeasureStep(net.Layers, net.Batch, steps: net.Layers[1] > 500 ? 100 : 500);
                    double peak = FmaPeak.Measure<float>(threads, repetitions: 3);
                    double gflops = StepFlops(net.Layers, net.Batch) / (ms * 1e6);
                    double target = threads == 1 ? net.TargetMs1 : net.TargetMs2;
                    Console.WriteLine($"| {net.Name} | {net.Batch} | {threads} | {ms:F3} | {(double.IsNaN(target) ? "–" : target.ToString("F1"))} | {gflops:F1} | {peak:F1} | {100 * gflops / peak:F0} % | {bytes:N0} | {threadBytes:N0} | {collections} |");
                }
            }
            KernelSettings.Threads = 1;
            MeasureCreateGraphOverhead();
        }
        finally
        {
            KernelSettings.Threads = savedThreads;
        }
    }

    /// <summary>
    /// The step's floating-point operations, 2 per multiply-add: the forward product of every layer, the weight
    /// gradient of every layer, and the input gradient of every layer but the first (the data needs none).
    /// </summary>
    private static double StepFlops(int[] layers, int batch)
    {
        double macs = 0;
        for (int i = 0; i + 1 < layers.Length; i++) macs += (double)batch * layers[i] * layers[i + 1] * (i == 0 ? 2 : 3);
        return 2 * macs;
    }

    private static (Sequential Model, Sgd Optimizer, Tensor X, int[] Labels) Build(int[] layers, int batch)
    {
        var g = new Generator(1);
        var model = new Sequential();
        for (int i = 0; i + 1 < layers.Length; i++)
        {
            model.Add(new Linear(layers[i], layers[i + 1], g));
            if (i + 2 < layers.Length) model.Add(new ReLU());
        }
        var x = Tensor.RandomUniform(g, 0, 1, DType.Float32, batch, layers[0]);
        var labels = Enumerable.Range(0, batch).Select(i => i % layers[^1]).ToArray();
        return (model, new Sgd(model.Parameters(), 0.01, momentum: 0.9), x, labels);
    }

    /// <summary>One training step inside a <see cref="TensorScope"/>, as <c>sharpgrad train</c> runs it.</summary>
    private static void Step(Sequential model, Sgd optimizer, Tensor x, int[] labels, bool createGraph = false)
    {
        using var scope = TensorScope.Begin();
        optimizer.ZeroGrad();
        var loss = Functional.SoftmaxCrossEntropy(model.Forward(x), labels);
        loss.Backward(createGraph: createGraph);
        optimizer.Step();
    }

    /// <summary>
    /// Median milliseconds per step; bytes allocated per step in steady state by all threads and by this thread
    /// (<c>GC.GetAllocatedBytesForCurrentThread</c>); garbage collections (all generations) during the timed steps.
    /// </summary>
    private static (double Ms, double Bytes, double ThreadBytes, int Collections) MeasureStep(int[] layers, int batch, int steps)
    {
        var (model, optimizer, x, labels) = Build(layers, batch);
        Stats.WarmUp(() => Step(model, optimizer, x, labels));
        var samples = new double[steps];
        var clock = new Stopwatch();
        int gcBefore = GC.CollectionCount(0);
        long before = GC.GetTotalAllocatedBytes(precise: true);
        long threadBefore = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < steps; i++)
        {
            clock.Restart();
            Step(model, optimizer, x, labels);
            samples[i] = clock.Elapsed.TotalMilliseconds;
        }
        long threadAfter = GC.GetAllocatedBytesForCurrentThread();
        long after = GC.GetTotalAllocatedBytes(precise: true);
        return (Stats.Median(samples), (after - before) / (double)steps, (threadAfter - threadBefore) / (double)steps, GC.CollectionCount(0) - gcBefore);
    }

    /// <summary>Backward with createGraph false records nothing; compare its time with a recorded (createGraph) backward.</summary>
    private static void MeasureCreateGraphOverhead()
    {
        var (model, optimizer, x, labels) = Build([784, 100, 10], 100);
        double Median(bool createGraph)
        {
            Stats.WarmUp(() => Step(model, optimizer, x, labels, createGraph));
            var samples = new double[200];
            var clock = new Stopwatch();
            for (int i = 0; i < samples.Length; i++)
            {
                optimizer.ZeroGrad();
                var loss = Functional.SoftmaxCrossEntropy(model.Forward(x), labels);
                clock.Restart();
                loss.Backward(createGraph: createGraph);
                samples[i] = clock.Elapsed.TotalMilliseconds;
                if (createGraph) foreach (var p in model.Parameters()) p.Grad = null;
            }
            return Stats.Median(samples);
        }
        double plain = Median(false), recorded = Median(true), plainAgain = Median(false);
        var probe = Functional.SoftmaxCrossEntropy(model.Forward(x), labels);
        probe.Backward();
        int recordedNodes = model.Parameters().Count(p => p.Grad?.Creator is not null);
        Console.WriteLine("\nBackward of 784-100-10 (batch 100, 1 thread): createGraph false vs true");
        Console.WriteLine("| backward | median ms | gradients carrying a graph |");
        Console.WriteLine("|---|---:|---:|");
        Console.WriteLine($"| createGraph: false (default) | {Math.Min(plain, plainAgain):F3} | {recordedNodes} |");
        Console.WriteLine($"| createGraph: true | {recorded:F3} | all |");
    }
}
