using System.Diagnostics;
using SharpGrad.Kernels;
using SharpGrad.Nn;
using SharpGrad.Optim;

namespace SharpGrad.Benchmarks;

/// <summary>
/// The <c>profile</c> benchmark: where the time of one training step goes, for the default CNN (batch 32) on 1 and 2
/// threads, the 784-100-10 MLP (batch 100) on 1 thread and the 784-1000-1000-10 MLP (batch 128) on 1 and 2 threads: each layer's
/// forward, the backward rules (each linear layer's on its own, the other operations summed by operation), and the
/// optimizer step, with the steps in a <see cref="StepArena"/> as <c>sharpgrad train</c> runs them.
/// </summary>
internal static class ProfileBenchmark
{
    public static void Run()
    {
        int saved = KernelSettings.Threads;
        try
        {
            foreach (int threads in new[] { 1, 2 })
            {
                KernelSettings.Threads = threads;
                Profile("CNN (Models.Cnn), batch 32", Models.Cnn(new Generator(1)), 32);
            }

            KernelSettings.Threads = 1;
            Profile("MLP 784-100-10, batch 100", Models.Mlp([100], false, 0, new Generator(1)), 100);
            foreach (int threads in new[] { 1, 2 })
            {
                KernelSettings.Threads = threads;
                Profile("MLP 784-1000-1000-10, batch 128", Models.Mlp([1000, 1000], false, 0, new Generator(1)), 128);
            }
        }
        finally
        {
            KernelSettings.Threads = saved;
        }
    }

    /// <summary>
    /// How a backward rule is reported: a linear layer's by its weight's shape (one row per layer, so a layer's time can
    /// be set beside its matrix products in <c>-- gemm</c>), every other operation summed over its nodes.
    /// </summary>
    private static object Key(Node node) => node is Ops.Linear ? node.InputArray[1] : node.GetType();

    /// <summary>The row label of a <see cref="Key"/>, with <paramref name="names"/> the operation names by node type.</summary>
    private static string Label(object key, Dictionary<Type, string> names) =>
        key is Tensor weight ? $"linear, weight {Shapes.Format(weight.Shape)}" : $"{names[(Type)key]} (all nodes)";

    private static void Profile(string title, Sequential model, int batch)
    {
        var g = new Generator(2);
        var x = Tensor.RandomUniform(g, 0, 1, DType.Float32, batch, 784);
        int[] labels = Enumerable.Range(0, batch).Select(i => i % 10).ToArray();
        var optimizer = new Sgd(model.Parameters(), 0.01, momentum: 0.9);
        var layers = model.Children.Select(c => c.Module).ToArray();
        var forward = new List<double>[layers.Length];
        for (int i = 0; i < layers.Length; i++) forward[i] = [];
        var backward = new Dictionary<object, List<double>>();
        var stepTimes = new List<double>();
        var optimizerTimes = new List<double>();
        var perStep = new Dictionary<object, double>();
        var names = new Dictionary<Type, string>();
        var arena = new StepArena();
        // Keyed by an object that persists across steps (the weight of a linear layer, the operation's type otherwise);
        // the label is built only when printing, so the timed steps build no strings.
        Autograd.BackwardTimer = (node, ticks) =>
        {
            object key = Key(node);
            names.TryAdd(node.GetType(), node.OpName);
            perStep[key] = perStep.GetValueOrDefault(key) + ticks * 1000.0 / Stopwatch.Frequency;
        };
        try
        {
            var total = Stopwatch.StartNew();
            var clock = new Stopwatch();
            for (int step = 0; total.Elapsed.TotalSeconds < 6; step++)
            {
                bool record = total.Elapsed.TotalSeconds > 2; // after the JIT's warm-up
                using var scope = TensorScope.Begin(arena); // as sharpgrad train runs its steps
                var stepClock = Stopwatch.StartNew();
                optimizer.ZeroGrad();
                var h = x;
                for (int i = 0; i < layers.Length; i++)
                {
                    clock.Restart();
                    h = layers[i].Forward(h);
                    if (record) forward[i].Add(clock.Elapsed.TotalMilliseconds);
                }
                var loss = Functional.SoftmaxCrossEntropy(h, labels);
                perStep.Clear();
                loss.Backward();
                clock.Restart();
                optimizer.Step();
                if (!record) continue;
                optimizerTimes.Add(clock.Elapsed.TotalMilliseconds);
                stepTimes.Add(stepClock.Elapsed.TotalMilliseconds);
                foreach (var (op, ms) in perStep)
                {
                    if (!backward.TryGetValue(op, out var list)) backward[op] = list = [];
                    list.Add(ms);
                }
            }
        }
        finally
        {
            Autograd.BackwardTimer = null;
        }
        Console.WriteLine($"\nProfile: {title}, {KernelSettings.Threads} thread(s), medians over {stepTimes.Count} steps; whole step {Stats.Median([.. stepTimes]):F3} ms");
        Console.WriteLine("| part | median ms |");
        Console.WriteLine("|---|---:|");
        for (int i = 0; i < layers.Length; i++) Console.WriteLine($"| forward {i}: {layers[i].Describe()} | {Stats.Median([.. forward[i]]):F3} |");
        foreach (var (op, list) in backward.OrderByDescending(p => Stats.Median([.. p.Value])))
            Console.WriteLine($"| backward of {Label(op, names)} | {Stats.Median([.. list]):F3} |");
        Console.WriteLine($"| optimizer step (SGD, momentum 0.9) | {Stats.Median([.. optimizerTimes]):F3} |");
    }
}
