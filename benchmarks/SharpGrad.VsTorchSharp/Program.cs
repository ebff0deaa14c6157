using System.Diagnostics;
using SharpGrad;
using SharpGrad.Kernels;
using TorchSharp;
using SharpGrad.Benchmarks;

namespace SharpGrad.VsTorchSharp;

/// <summary>
/// One float32 training step (zero the gradients, forward, softmax cross-entropy, backward, SGD with momentum 0.9)
/// of the two networks and of <c>sharpgrad train --model cnn</c>'s CNN, in SharpGrad and in TorchSharp (libtorch),
/// on 1 and 2 threads. Both run in this
/// process, in alternating rounds, so a noisy stretch of the shared machine hits both; each figure is the median of
/// the round medians, and the ratio is taken round by round.
/// </summary>
internal static class Program
{
    private static readonly (string Name, int Batch, int Steps, Func<TrainingStep> Sharp, Func<int[], TorchStep> Torch)[] Networks =
    [
        ("784-100-10", 100, 400, () => TrainingStep.Mlp([784, 100, 10], 100), labels => TorchStep.Mlp([784, 100, 10], labels)),
        ("784-1000-1000-10", 128, 60, () => TrainingStep.Mlp([784, 1000, 1000, 10], 128), labels => TorchStep.Mlp([784, 1000, 1000, 10], labels)),
        ("CNN (Models.Cnn)", 32, 200, () => TrainingStep.Cnn(32), TorchStep.Cnn),
    ];

    private static int Main(string[] args)
    {
        int rounds = args.Length > 0 && int.TryParse(args[0], out int r) && r > 0 ? r : 5;
        Console.WriteLine($"Training step, SharpGrad vs TorchSharp {typeof(torch).Assembly.GetName().Version} (libtorch), float32, SGD momentum 0.9");
        Console.WriteLine($"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, SharpGrad path {KernelSettings.VectorPath}, {rounds} rounds");
        var configurations = new List<(string Name, int Batch, int Threads, int Steps, Action SharpGrad, Action Torch)>();
        foreach (var net in Networks)
        {
            // The SharpGrad step as `sharpgrad train` runs it (a scope on a StepArena per step), shared with the mlp benchmark.
            var sharp = net.Sharp();
            var arena = new StepArena();
            var tch = net.Torch(sharp.Labels);
            foreach (int threads in new[] { 1, 2 })
                configurations.Add((net.Name, net.Batch, threads, net.Steps, () => sharp.Run(arena), tch.Run));
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

        private TorchStep(List<(string, torch.nn.Module<torch.Tensor, torch.Tensor>)> modules, int features, int[] labels)
        {
            _model = torch.nn.Sequential(modules);
            _optimizer = torch.optim.SGD(_model.parameters(), 0.01, momentum: 0.9);
            _x = torch.rand(labels.Length, features);
            _labels = torch.tensor(labels.Select(v => (long)v).ToArray());
        }

        /// <summary>Linear layers with ReLU between them.</summary>
        public static TorchStep Mlp(int[] layers, int[] labels)
        {
            torch.manual_seed(1);
            var modules = new List<(string, torch.nn.Module<torch.Tensor, torch.Tensor>)>();
            for (int i = 0; i + 1 < layers.Length; i++)
            {
                modules.Add(($"linear{i}", torch.nn.Linear(layers[i], layers[i + 1])));
                if (i + 2 < layers.Length) modules.Add(($"relu{i}", torch.nn.ReLU()));
            }
            return new TorchStep(modules, layers[0], labels);
        }

        /// <summary>Models.Cnn, layer for layer: (conv 3×3 padding 1, ReLU, 2×2 max pool) for 1 → 16 and 16 → 32 channels, then Linear(1568 → 10).</summary>
        public static TorchStep Cnn(int[] labels)
        {
            torch.manual_seed(1);
            var modules = new List<(string, torch.nn.Module<torch.Tensor, torch.Tensor>)>
            {
                ("unflatten", torch.nn.Unflatten(1, [1, 28, 28])),
                ("conv1", torch.nn.Conv2d(1, 16, 3, padding: 1)), ("relu1", torch.nn.ReLU()), ("pool1", torch.nn.MaxPool2d(2)),
                ("conv2", torch.nn.Conv2d(16, 32, 3, padding: 1)), ("relu2", torch.nn.ReLU()), ("pool2", torch.nn.MaxPool2d(2)),
                ("flatten", torch.nn.Flatten()), ("linear", torch.nn.Linear(32 * 7 * 7, 10)),
            };
            return new TorchStep(modules, 784, labels);
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
