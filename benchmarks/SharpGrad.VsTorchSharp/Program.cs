using System.Diagnostics;
using SharpGrad;
using SharpGrad.Kernels;
using TorchSharp;
using SharpGrad.Benchmarks;

namespace SharpGrad.VsTorchSharp;

/// <summary>
/// One float32 training step (zero the gradients, forward, softmax cross-entropy, backward, SGD with momentum 0.9)
/// of the two networks, in SharpGrad and in TorchSharp (libtorch), on 1 and 2 threads. Both run in this
/// process, in alternating rounds, so a noisy stretch of the shared machine hits both; each figure is the median of
/// the round medians, and the ratio is taken round by round.
/// </summary>
internal static class Program
{
    private static readonly (string Name, int[] Layers, int Batch)[] Networks =
    [
        ("784-100-10", [784, 100, 10], 100),
        ("784-1000-1000-10", [784, 1000, 1000, 10], 128),
    ];

    private static int Main(string[] args)
    {
        int rounds = args.Length > 0 && int.TryParse(args[0], out int r) && r > 0 ? r : 5;
        Console.WriteLine($"Training step, SharpGrad vs TorchSharp {typeof(torch).Assembly.GetName().Version} (libtorch), float32, SGD momentum 0.9");
        Console.WriteLine($"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, SharpGrad path {KernelSettings.VectorPath}, {rounds} rounds");
        var configurations = new List<(string Name, int Batch, int Threads, int Steps, Action SharpGrad, Action Torch)>();
        foreach (var net in Networks)
        {
            int steps = net.Layers[1] > 500 ? 60 : 400;
            // The SharpGrad step as `sharpgrad train` runs it (a scope on a StepArena per step), shared with the mlp benchmark.
            var sharp = new MlpStep(net.Layers, net.Batch);
            var arena = new StepArena();
            var tch = new TorchStep(net.Layers, sharp.Labels);
            foreach (int threads in new[] { 1, 2 })
                configurations.Add((net.Name, net.Batch, threads, steps, () => sharp.Run(arena), tch.Run));
        }

        // Warm-up, at least 2 s per configuration and library (Stats.WarmUp): tiered JIT on our side, libtorch's
        // thread pools and allocator on the other.
        foreach (var c in configurations)
        {
            KernelSettings.Threads = c.Threads;
            Stats.WarmUp(c.SharpGrad);
            torch.set_num_threads(c.Threads);
            Stats.WarmUp(c.Torch);
        }

        var results = configurations.Select(_ => (Sharp: new List<double>(), Torch: new List<double>())).ToArray();
        for (int round = 0; round < rounds; round++)
        {
            for (int i = 0; i < configurations.Count; i++)
            {
                var c = configurations[i];
                KernelSettings.Threads = c.Threads;
                results[i].Sharp.Add(Median(c.SharpGrad, c.Steps));
                torch.set_num_threads(c.Threads);
                results[i].Torch.Add(Median(c.Torch, c.Steps));
            }
        }

        Console.WriteLine();
        Console.WriteLine("| network | batch | threads | SharpGrad ms/step | TorchSharp ms/step | TorchSharp ÷ SharpGrad |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        for (int i = 0; i < configurations.Count; i++)
        {
            var (sharp, tch) = results[i];
            var ratios = sharp.Zip(tch, (s, t) => t / s).ToList();
            Console.WriteLine($"| {configurations[i].Name} | {configurations[i].Batch} | {configurations[i].Threads} | " +
                $"{Stats.Median([.. sharp]):F3} ({sharp.Min():F3}–{sharp.Max():F3}) | {Stats.Median([.. tch]):F3} ({tch.Min():F3}–{tch.Max():F3}) | " +
                $"{Stats.Median([.. ratios]):F2}× ({ratios.Min():F2}–{ratios.Max():F2}) |");
        }
        Console.WriteLine("\nEach cell: median of the round medians (range of the round medians). The ratio is computed per round.");
        return 0;
    }

    /// <summary>Median milliseconds of <paramref name="steps"/> calls.</summary>
    private static double Median(Action step, int steps)
    {
        var samples = new double[steps];
        var clock = new Stopwatch();
        for (int i = 0; i < steps; i++)
        {
            clock.Restart();
            step();
            samples[i] = clock.Elapsed.TotalMilliseconds;
        }
        return Stats.Median(samples);
    }

    /// <summary>The same step in TorchSharp, with a dispose scope per step (TorchSharp's recommended loop).</summary>
    private sealed class TorchStep
    {
        private readonly torch.nn.Module<torch.Tensor, torch.Tensor> _model;
        private readonly torch.optim.Optimizer _optimizer;
        private readonly torch.nn.Module<torch.Tensor, torch.Tensor, torch.Tensor> _loss = torch.nn.CrossEntropyLoss();
        private readonly torch.Tensor _x, _labels;

        public TorchStep(int[] layers, int[] labels)
        {
            torch.manual_seed(1);
            var modules = new List<(string, torch.nn.Module<torch.Tensor, torch.Tensor>)>();
            for (int i = 0; i + 1 < layers.Length; i++)
            {
                modules.Add(($"linear{i}", torch.nn.Linear(layers[i], layers[i + 1])));
                if (i + 2 < layers.Length) modules.Add(($"relu{i}", torch.nn.ReLU()));
            }
            _model = torch.nn.Sequential(modules);
            _optimizer = torch.optim.SGD(_model.parameters(), 0.01, momentum: 0.9);
            _x = torch.rand(labels.Length, layers[0]);
            _labels = torch.tensor(labels.Select(v => (long)v).ToArray());
        }

        public void Run()
        {
            using var scope = torch.NewDisposeScope();
            _optimizer.zero_grad();
            var loss = _loss.call(_model.call(_x), _labels);
            loss.backward();
            _optimizer.step();
        }
    }
}
