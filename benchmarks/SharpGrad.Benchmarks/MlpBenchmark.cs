using System.Diagnostics;
using SharpGrad.Kernels;

namespace SharpGrad.Benchmarks;

/// <summary>
/// The <c>mlp</c> benchmark: one float32 training step (forward, backward, SGD update) of the two reference
/// networks on 1 and 2 threads, with the managed bytes allocated per step and the step's arithmetic rate as a ratio
/// to the FMA peak measured in the same run. Also the cost of recording the backward (createGraph) against the
/// default backward.
/// </summary>
/// <remarks>
/// The machine may be shared, and a noisy stretch of a few seconds would decide a figure measured in one go. So the four
/// configurations are timed in <see cref="Rounds"/> rounds, each round running every configuration in turn for a block
/// of steps; a configuration's figure is the median of its round medians, printed with their range. The FMA peak is
/// measured in every round too, and its median is reported.
/// </remarks>
internal static class MlpBenchmark
{
    private const int Rounds = 7;

    private static readonly (string Name, int[] Layers, int Batch, double TargetMs1, double TargetMs2, int StepsPerRound)[] Networks =
    [
        ("784-100-10", [784, 100, 10], 100, 0.4, double.NaN, 100),
        ("784-1000-1000-10", [784, 1000, 1000, 10], 128, 12, 7, 20),
    ];

    private sealed class Config
    {
        public required int Network;
        public required int Threads;
        public required TrainingStep Net;
        public readonly StepArena Arena = new();
        public readonly List<double> RoundMedians = [];
        public long Bytes, ThreadBytes, Steps;
        public int Collections;
    }

    public static void Run()
    {
        int savedThreads = KernelSettings.Threads;
        try
        {
            Console.WriteLine($"\nMLP training step (float32, SGD momentum 0.9)  {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC  path {KernelSettings.VectorPath}  {Rounds} rounds, the configurations alternating");
            var configs = new List<Config>();
            for (int n = 0; n < Networks.Length; n++)
            {
                foreach (int threads in new[] { 1, 2 })
                {
                    configs.Add(new Config { Network = n, Threads = threads, Net = TrainingStep.Mlp(Networks[n].Layers, Networks[n].Batch) });
                }
            }

            foreach (var c in configs)
            {
                KernelSettings.Threads = c.Threads;
                Stats.WarmUp(() => c.Net.Run(c.Arena));
            }

            // One untimed pass in round order: the warm-up of the big network leaves the buffer pool without some of the
            // small network's sizes, which its first block after that takes again once (88 KB once, measured); the
            // timed rounds then see only the steady state.
            foreach (var c in configs)
            {
                KernelSettings.Threads = c.Threads;
                for (int i = 0; i < 3; i++) c.Net.Run(c.Arena);
            }

            var peaks = new Dictionary<int, List<double>> { [1] = [], [2] = [] };
            for (int round = 0; round < Rounds; round++)
            {
                foreach (var c in configs)
                {
                    KernelSettings.Threads = c.Threads;
                    MeasureBlock(c, Networks[c.Network].StepsPerRound);
                }
                foreach (var (threads, list) in peaks) list.Add(FmaPeak.Measure<float>(threads, repetitions: 1));
            }

            Console.WriteLine("| network | batch | threads | median ms/step | round medians min–max ms | target ms | met? | GFLOP/s | FMA peak | % of peak | bytes allocated/step in a StepArena (all threads) | of which this thread | GCs in the timed steps |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|");
            foreach (var c in configs)
            {
                var net = Networks[c.Network];
                double ms = Stats.Median([.. c.RoundMedians]);
                double peak = Stats.Median([.. peaks[c.Threads]]);
                double gflops = StepFlops(net.Layers, net.Batch) / (ms * 1e6);
                double target = c.Threads == 1 ? net.TargetMs1 : net.TargetMs2;
                Console.WriteLine($"| {net.Name} | {net.Batch} | {c.Threads} | {ms:F3} | {c.RoundMedians.Min():F3}–{c.RoundMedians.Max():F3} | {(double.IsNaN(target) ? "–" : target.ToString("F1"))} | {(double.IsNaN(target) ? "–" : ms <= target ? "yes" : $"no, {100 * (ms / target - 1):F1} % over")} | {gflops:F1} | {peak:F1} | {100 * gflops / peak:F0} % | {c.Bytes / (double)c.Steps:N0} | {c.ThreadBytes / (double)c.Steps:N0} | {c.Collections} |");
            }
            MeasureAllocations(configs);
            KernelSettings.Threads = 1;
            MeasureCreateGraphOverhead();
        }
        finally
        {
            KernelSettings.Threads = savedThreads;
        }
    }

    /// <summary>
    /// Times <paramref name="steps"/> steps of one configuration and records their median; adds the bytes allocated by all
    /// threads and by this thread (<c>GC.GetAllocatedBytesForCurrentThread</c>) and the garbage collections (all
    /// generations) during those steps to the configuration's totals.
    /// </summary>
    private static void MeasureBlock(Config c, int steps)
    {
        var samples = new double[steps];
        var clock = new Stopwatch();
        int gcBefore = GC.CollectionCount(0);
        long before = GC.GetTotalAllocatedBytes(precise: true);
        long threadBefore = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < steps; i++)
        {
            clock.Restart();
            c.Net.Run(c.Arena);
            samples[i] = clock.Elapsed.TotalMilliseconds;
        }
        long threadAfter = GC.GetAllocatedBytesForCurrentThread();
        long after = GC.GetTotalAllocatedBytes(precise: true);
        c.RoundMedians.Add(Stats.Median(samples));
        c.Bytes += after - before;
        c.ThreadBytes += threadAfter - threadBefore;
        c.Steps += steps;
        c.Collections += GC.CollectionCount(0) - gcBefore;
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

    /// <summary>
    /// The issue's allocation measurement: <c>GC.GetAllocatedBytesForCurrentThread</c> over 100 steps after warm-up, for
    /// each network and thread count, with the steps in a <see cref="StepArena"/> (as <c>sharpgrad train</c> runs them)
    /// and in a plain <see cref="TensorScope"/> (which returns storage to the pool but creates new tensor and node objects).
    /// It reuses the timed configurations, already warm, each with its own arena; a few untimed steps before each
    /// measurement still let the plain scope (and the thread count just set) settle.
    /// </summary>
    private static void MeasureAllocations(List<Config> configs)
    {
        const int steps = 100;
        Console.WriteLine($"\nManaged bytes allocated per training step (GC.GetAllocatedBytesForCurrentThread over {steps} steps after warm-up)");
        Console.WriteLine("| network | threads | in a StepArena | in a plain TensorScope |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var c in configs)
        {
            KernelSettings.Threads = c.Threads;
            double PerStep(StepArena? arena)
            {
                for (int i = 0; i < 5; i++) c.Net.Run(arena);
                long before = GC.GetAllocatedBytesForCurrentThread();
                for (int i = 0; i < steps; i++) c.Net.Run(arena);
                return (GC.GetAllocatedBytesForCurrentThread() - before) / (double)steps;
            }
            double inArena = PerStep(c.Arena), plain = PerStep(null);
            Console.WriteLine($"| {Networks[c.Network].Name} | {c.Threads} | {inArena:N0} | {plain:N0} |");
        }
    }

    /// <summary>Backward with createGraph false records nothing; compare its time with a recorded (createGraph) backward.</summary>
    private static void MeasureCreateGraphOverhead()
    {
        var net = TrainingStep.Mlp([784, 100, 10], 100);
        var (model, optimizer, x, labels) = (net.Model, net.Optimizer, net.X, net.Labels);
        double Median(bool createGraph)
        {
            Stats.WarmUp(() => net.Run(createGraph: createGraph));
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
