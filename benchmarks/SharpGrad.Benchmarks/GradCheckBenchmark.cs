using System.Diagnostics;
using SharpGrad.Nn;

namespace SharpGrad.Benchmarks;

/// <summary>
/// The <c>gradcheck</c> benchmark: the full gradient of the 784-50-10 network (float64, 100 digits) by backprop
/// versus by central differences, which need two forward passes per parameter. Numerical differentiation is
/// timed on a sample of parameters and scaled to all 39,760 (the per-parameter cost is the same for each).
/// </summary>
internal static class GradCheckBenchmark
{
    private const int SampledParameters = 2000;

    public static void Run()
    {
        var g = new Generator(7);
        var model = new Sequential(new Linear(784, 50, g, dtype: DType.Float64), new Sigmoid(), new Linear(50, 10, g, dtype: DType.Float64));
        var (train, _) = Data.Mnist.LoadEmbedded();
        var x = Tensor.FromArray(train.Features.AsSpan(0, 100 * 784).ToArray(), 100, 784).To(DType.Float64);
        var labels = train.Labels[..100];
        var parameters = model.Parameters().ToArray();
        int total = parameters.Sum(p => p.Length);
        Tensor Loss() => Functional.SoftmaxCrossEntropy(model.Forward(x), labels);

        // Backprop: median of 50 full gradients.
        Stats.WarmUp(() => { using var scope = TensorScope.Begin(); model.ZeroGrad(); Loss().Backward(); });
        var samples = new double[50];
        var clock = new Stopwatch();
        for (int i = 0; i < samples.Length; i++)
        {
            using var scope = TensorScope.Begin();
            model.ZeroGrad();
            clock.Restart();
            Loss().Backward();
            samples[i] = clock.Elapsed.TotalMilliseconds;
        }
        double backpropMs = Stats.Median(samples);

        // Numerical: central differences for a spread of parameters, compared with backprop as a check.
        model.ZeroGrad();
        Loss().Backward();
        const double h = 1e-4;
        double maxError = 0;
        clock.Restart();
        using (Tensor.NoGrad())
        {
            for (int s = 0; s < SampledParameters; s++)
            {
                long flat = (long)s * total / SampledParameters;
                int pi = 0;
                while (flat >= parameters[pi].Length) { flat -= parameters[pi].Length; pi++; }
                var data = parameters[pi].D;
                int j = (int)flat;
                double saved = data[j];
                using var scope = TensorScope.Begin();
                data[j] = saved + h; double plus = Loss().Item();
                data[j] = saved - h; double minus = Loss().Item();
                data[j] = saved;
                double numerical = (plus - minus) / (2 * h);
                maxError = Math.Max(maxError, Math.Abs(numerical - parameters[pi].Grad!.D[j]));
            }
        }
        double numericalMs = clock.Elapsed.TotalMilliseconds / SampledParameters * total;
        Console.WriteLine($"\nGradient of 784-50-10 (float64, 100 digits, {total:N0} parameters, {Kernels.KernelSettings.Threads} threads)");
        Console.WriteLine("| method | time | note |");
        Console.WriteLine("|---|---:|---|");
        Console.WriteLine($"| backprop | {backpropMs:F3} ms | median of {samples.Length} |");
        Console.WriteLine($"| central differences | {numericalMs / 1000:F1} s | timed on {SampledParameters:N0} parameters, scaled to {total:N0} |");
        Console.WriteLine($"| ratio | {numericalMs / backpropMs:N0}× | max |backprop − numerical| on the sample: {maxError:E2} |");
    }
}
