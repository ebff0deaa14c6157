using System.Diagnostics;
using SharpGrad.Data;
using SharpGrad.Nn;
using SharpGrad.Optim;

namespace SharpGrad.Cli.Train;

/// <summary>The metrics of one epoch.</summary>
internal sealed record EpochResult(int Epoch, double TrainLoss, double TrainAccuracy, double TestAccuracy, double Seconds, double SamplesPerSecond);

/// <summary>Builds the network, runs mini-batch training and measures accuracy.</summary>
internal sealed class Trainer
{
    private readonly TrainOptions _options;

    public Trainer(TrainOptions options, Dataset train, Dataset test)
    {
        _options = options;
        Train = options.TrainLimit is int limit && limit < train.Count ? Take(train, limit) : train;
        Test = test;
        var generator = new Generator((ulong)options.Seed);
        Model = BuildMlp(train.FeatureSize, options.Hidden, train.ClassCount, generator);
        Optimizer = new Sgd(Model.Parameters(), options.LearningRate, options.Momentum);
        Loader = new DataLoader(Train, options.BatchSize, shuffle: true, seed: options.Seed);
    }

    public Dataset Train { get; }
    public Dataset Test { get; }
    public Module Model { get; }
    public Optimizer Optimizer { get; }
    public DataLoader Loader { get; }

    /// <summary>Input → [Linear → ReLU]* → Linear(classes).</summary>
    public static Sequential BuildMlp(int inputs, int[] hidden, int classes, Generator generator)
    {
        var model = new Sequential();
        int width = inputs;
        foreach (int h in hidden)
        {
            model.Add(new Linear(width, h, generator)).Add(new ReLU());
            width = h;
        }
        model.Add(new Linear(width, classes, generator));
        return model;
    }

    /// <summary>
    /// One epoch of training. <paramref name="onBatch"/> receives the number of samples done and the running
    /// mean loss after each batch.
    /// </summary>
    public EpochResult RunEpoch(int epoch, Action<int, double>? onBatch = null)
    {
        var clock = Stopwatch.StartNew();
        Model.Train();
        double lossSum = 0;
        int seen = 0;
        foreach (var batch in Loader.Epoch(epoch))
        {
            var x = Tensor.Wrap(batch.Features, batch.Count, Train.FeatureSize);
            Optimizer.ZeroGrad();
            var loss = Functional.SoftmaxCrossEntropy(Model.Forward(x), batch.Labels);
            loss.Backward();
            Optimizer.Step();
            double value = loss.Item();
            if (!double.IsFinite(value))
                throw new InvalidOperationException($"The training loss became {value} in epoch {epoch + 1}; try a smaller --lr.");
            lossSum += value * batch.Count;
            seen += batch.Count;
            onBatch?.Invoke(seen, lossSum / seen);
        }
        double trainSeconds = clock.Elapsed.TotalSeconds;
        double trainAccuracy = Accuracy(Model, Train);
        double testAccuracy = Accuracy(Model, Test);
        return new EpochResult(epoch + 1, lossSum / Math.Max(1, seen), trainAccuracy, testAccuracy, clock.Elapsed.TotalSeconds, seen / trainSeconds);
    }

    /// <summary>The fraction of samples whose highest-scoring class is the label, in evaluation mode without a graph.</summary>
    public static double Accuracy(Module model, Dataset data, int batchSize = 1000)
    {
        if (data.Count == 0) return double.NaN;
        bool wasTraining = model.Training;
        model.Eval();
        int correct = 0;
        using (Tensor.NoGrad())
        {
            for (int start = 0; start < data.Count; start += batchSize)
            {
                int n = Math.Min(batchSize, data.Count - start);
                var x = Tensor.FromArray(data.Features.AsSpan(start * data.FeatureSize, n * data.FeatureSize).ToArray(), n, data.FeatureSize);
                var scores = model.Forward(x).ToFloatArray();
                int classes = scores.Length / n;
                for (int i = 0; i < n; i++)
                {
                    var row = scores.AsSpan(i * classes, classes);
                    int best = 0;
                    for (int c = 1; c < classes; c++) if (row[c] > row[best]) best = c;
                    if (best == data.Labels[start + i]) correct++;
                }
            }
        }
        model.Train(wasTraining);
        return (double)correct / data.Count;
    }

    private static Dataset Take(Dataset data, int count) =>
        new(data.Features.AsSpan(0, count * data.FeatureSize).ToArray(), data.Labels.AsSpan(0, count).ToArray(), data.SampleShape, data.ClassCount);
}
