using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using SharpGrad.Data;
using SharpGrad.IO;
using Spectre.Console;

namespace SharpGrad.Cli.Train;

/// <summary><c>sharpgrad train</c>: trains a network on MNIST-format digits and reports accuracy each epoch.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var data = new Option<string?>("--data") { Description = "Folder holding the four MNIST-format files (train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]). Default: the embedded 10,000-digit sample." };
        var epochs = new Option<int>("--epochs") { Description = "Passes over the training set.", DefaultValueFactory = _ => 20 };
        var batchSize = new Option<int>("--batch-size") { Description = "Samples per mini-batch.", DefaultValueFactory = _ => 100 };
        var lr = new Option<double>("--lr") { Description = "Learning rate of stochastic gradient descent.", DefaultValueFactory = _ => 0.05 };
        var momentum = new Option<double>("--momentum") { Description = "Momentum (0 for plain SGD).", DefaultValueFactory = _ => 0.9 };
        var hidden = new Option<string>("--hidden") { Description = "Hidden layer sizes, comma-separated (e.g. 256,128); empty for a linear model.", DefaultValueFactory = _ => "100" };
        var seed = new Option<int>("--seed") { Description = "Seed for weights and shuffling: the same seed gives the same result.", DefaultValueFactory = _ => 1 };
        var threads = new Option<int?>("--threads") { Description = "Worker threads for matrix products (default: all cores; 1 runs on the calling thread only)." };
        var limit = new Option<int?>("--train-limit") { Description = "Use only the first N training samples (for quick experiments)." };
        var anomaly = new Option<bool>("--detect-anomaly") { Description = "Stop at the first NaN or infinity, naming the operation that produced it (slower)." };

        var command = new Command("train", "Train a neural network on handwritten digits (the embedded MNIST sample by default) and print the test accuracy.")
        {
            data, epochs, batchSize, lr, momentum, hidden, seed, threads, limit, anomaly,
        };
        command.SetAction(parse =>
        {
            TrainOptions options;
            try
            {
                options = new TrainOptions
                {
                    DataDirectory = parse.GetValue(data),
                    Epochs = Positive(parse.GetValue(epochs), "--epochs"),
                    BatchSize = Positive(parse.GetValue(batchSize), "--batch-size"),
                    LearningRate = parse.GetValue(lr),
                    Momentum = parse.GetValue(momentum),
                    Hidden = ParseHidden(parse.GetValue(hidden) ?? ""),
                    Seed = parse.GetValue(seed),
                    Threads = parse.GetValue(threads),
                    TrainLimit = parse.GetValue(limit),
                    DetectAnomaly = parse.GetValue(anomaly),
                };
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"sharpgrad train: {e.Message}");
                return 2;
            }
            return Run(options, Console.Out, Console.Error, interactive: !Console.IsOutputRedirected);
        });
        return command;
    }

    /// <summary>Runs training with the given options, writing progress and results to <paramref name="stdout"/>.</summary>
    public static int Run(TrainOptions options, TextWriter stdout, TextWriter stderr, bool interactive)
    {
        var wall = Stopwatch.StartNew();
        Trainer trainer;
        try
        {
            if (options.Threads is int t)
            {
                if (t < 1) throw new ArgumentException($"--threads must be at least 1, not {t}.");
                Kernels.KernelSettings.Threads = t;
            }
            var (train, test) = options.DataDirectory is null ? Mnist.LoadEmbedded() : Mnist.Load(options.DataDirectory);
            trainer = new Trainer(options, train, test);
            stdout.WriteLine($"data: {(options.DataDirectory ?? "embedded MNIST sample")} ({trainer.Train.Count} train, {test.Count} test)");
            stdout.WriteLine($"model: {trainer.Model}; SGD lr {options.LearningRate.ToString(CultureInfo.InvariantCulture)}, momentum {options.Momentum.ToString(CultureInfo.InvariantCulture)}, batch {options.BatchSize}, seed {options.Seed}");
        }
        catch (Exception e) when (e is SharpGradFormatException or IOException or ArgumentException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"sharpgrad train: {e.Message}");
            return 2;
        }

        using var anomalyScope = options.DetectAnomaly ? AnomalyDetection.Enable() : null;
        EpochResult? last = null;
        for (int epoch = 0; epoch < options.Epochs; epoch++)
        {
            try
            {
                last = interactive ? RunWithProgressBar(trainer, epoch, options.Epochs) : trainer.RunEpoch(epoch);
            }
            catch (Exception e) when (e is InvalidOperationException or AnomalyException)
            {
                stderr.WriteLine($"sharpgrad train: {e.Message}");
                return 1;
            }
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"epoch {last.Epoch,3}/{options.Epochs}  loss {last.TrainLoss:F4}  train accuracy {last.TrainAccuracy:F4}  test accuracy {last.TestAccuracy:F4}  ({last.Seconds:F2} s, {last.SamplesPerSecond:N0} samples/s)"));
        }
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wall time: {wall.Elapsed.TotalSeconds:F2} s"));
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"test accuracy: {last!.TestAccuracy:F4}"));
        return 0;
    }

    private static EpochResult RunWithProgressBar(Trainer trainer, int epoch, int epochs)
    {
        EpochResult? result = null;
        AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask($"epoch {epoch + 1}/{epochs}", maxValue: trainer.Train.Count);
                var clock = Stopwatch.StartNew();
                result = trainer.RunEpoch(epoch, (done, loss) =>
                {
                    task.Value = done;
                    task.Description = string.Create(CultureInfo.InvariantCulture,
                        $"epoch {epoch + 1}/{epochs}  loss {loss:F4}  {done / Math.Max(1e-9, clock.Elapsed.TotalSeconds):N0} samples/s");
                });
            });
        return result!;
    }

    private static int Positive(int value, string name) =>
        value > 0 ? value : throw new ArgumentException($"{name} must be a positive whole number, not {value}.");

    internal static int[] ParseHidden(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) return [];
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var sizes = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out sizes[i]) || sizes[i] < 1)
                throw new ArgumentException($"--hidden expects comma-separated positive layer sizes such as 256,128; '{parts[i]}' is not one.");
        return sizes;
    }
}
