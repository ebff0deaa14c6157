using System.Diagnostics;
using SharpGrad.Data;
using SharpGrad.Nn;
using SharpGrad.Optim;

namespace SharpGrad.Cli.Train;

/// <summary>The metrics of one epoch.</summary>
internal sealed record EpochResult(int Epoch, double TrainLoss, double TrainAccuracy, double TestAccuracy, double Seconds, double SamplesPerSecond);

/// <summary>Builds the network and optimizer, runs mini-batch training and measures accuracy.</summary>
internal sealed class Trainer
{
    public Trainer(TrainOptions options, Dataset train, Dataset test, Module? model = null)
    {
        Options = options.Resolve();
        Train = options.TrainLimit is int limit && limit < train.Count ? Take(train, limit) : train;
        Test = test;
        var generator = new Generator((ulong)options.SeedOrDefault);
        Model = model ?? BuildModel(options, train, generator);
        Model.Train();
        Optimizer = BuildOptimizer(options, Model.Parameters());
        GiveGradientBuffers(Model);
        Scheduler = options.ScheduleOrDefault switch
        {
            "step" => new StepLR(Optimizer, stepSize: Math.Max(1, options.EpochsOrDefault / 3), gamma: 0.1),
            "cosine" => new CosineAnnealingLR(Optimizer, tMax: options.EpochsOrDefault),
            _ => null,
        };
        // BatchNorm1d computes each feature's statistics over the batch, which a batch of one sample cannot give (the
        // step failed midway through an epoch). Refuse batches of one; leave out a last batch of one (dropLast drops
        // exactly that batch when the samples leave one over).
        int batchSize = Math.Min(options.BatchSizeOrDefault, Math.Max(1, Train.Count));
        if (Contains<BatchNorm1d>(Model) && Train.Count > 0)
        {
            if (batchSize < 2)
                throw new ArgumentException(Train.Count == 1
                    ? "--batch-norm normalises over the batch, which needs at least 2 samples, but there is 1 training sample; raise --train-limit."
                    : "--batch-norm normalises over the batch, which needs at least 2 samples; --batch-size 1 cannot be trained with it.");
            DropsSingleSampleBatch = Train.Count % batchSize == 1;
        }
        Loader = new DataLoader(Train, options.BatchSizeOrDefault, shuffle: true, seed: options.SeedOrDefault, dropLast: DropsSingleSampleBatch);
    }

    /// <summary>Whether each epoch leaves out its last batch, of one sample, which batch normalisation cannot train on.</summary>
    public bool DropsSingleSampleBatch { get; }

    /// <summary>
    /// Gives every parameter without one a gradient buffer that stands for zeros, so that the first backward writes
    /// each gradient straight into it, as every later one does.
    /// </summary>
    /// <remarks>
    /// Without a buffer, the first backward computed each weight gradient into a temporary and then copied it into a
    /// new buffer: two arrays the size of the weights at once, and the temporary, handed back to the buffer pool at the
    /// end of the step, stayed there idle for the rest of the run (measured: 6.02 GB → 3.06 GB peak resident memory
    /// for --hidden 200000 --train-limit 100 --epochs 1, whose weights are 0.64 GB).
    /// </remarks>
    private static void GiveGradientBuffers(Module model)
    {
        foreach (var parameter in model.Parameters())
        {
            if (parameter.Grad is not null) continue;
            parameter.Grad = parameter.ZerosLike();
            parameter.ZeroGrad(); // pending zeros: the first backward writes over the buffer instead of adding to it
        }
    }

    private static bool Contains<T>(Module module) where T : Module =>
        module is T || module.Children.Any(child => Contains<T>(child.Module));

    /// <summary>The objects of one training step, reused by the steps after it (no managed allocation per step).</summary>
    private readonly StepArena _arena = new();

    public TrainOptions Options { get; }
    public Dataset Train { get; }
    public Dataset Test { get; }
    public Module Model { get; }
    public Optimizer Optimizer { get; }
    public LrScheduler? Scheduler { get; }
    public DataLoader Loader { get; }

    public static Module BuildModel(TrainOptions options, Dataset train, Generator generator)
    {
        if (options.ModelOrDefault == "cnn")
        {
            RequireCnnImages(train);
            return Models.Cnn(generator, options.BatchNormOrDefault, options.DropoutOrDefault);
        }
        int[] hidden = options.HiddenOrDefault;
        TrainCommand.RequireLayersFit(string.Join(",", hidden), [train.FeatureSize, .. hidden, train.ClassCount]); // the first and last layers too
        return Models.Mlp(hidden, options.BatchNormOrDefault, options.DropoutOrDefault, generator, train.FeatureSize, train.ClassCount);
    }

    /// <summary>The sample shape of the CNN's images: one channel of 28×28.</summary>
    private static readonly int[] CnnSampleShape = [1, 28, 28];

    /// <summary>
    /// --model cnn takes 28×28 images: rows and columns are checked, not only the pixel count (data of 14×56 images
    /// has 784 pixels too, and was taken as 28×28 without a word).
    /// </summary>
    /// <param name="train">The training set (the test set has its size: <see cref="Mnist.Load"/> checks that).</param>
    /// <exception cref="ArgumentException">The images are of another size; the message gives it.</exception>
    public static void RequireCnnImages(Dataset train)
    {
        if (!train.SampleShape.AsSpan().SequenceEqual(CnnSampleShape))
            throw new ArgumentException($"--model cnn expects 28×28 images, but the training images are {ImageSize(train.SampleShape)}.");
    }

    /// <summary>
    /// The shape of one sample that a model records, where it does: that of its first layer when it is an
    /// <see cref="Unflatten"/> (the CNN's [1, 28, 28]). Null for a model that records only the number of values it
    /// takes, as an MLP (Flatten, then Linear) does: for it, images of another rows × columns with the same pixel count
    /// are the user's business.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <returns>A copy of the shape, or null.</returns>
    internal static int[]? RecordedSampleShape(Module model)
    {
        for (var layer = model; ; layer = layer.Children[0].Module)
        {
            if (layer is Unflatten unflatten) return unflatten.SampleShape;
            if (layer.Children.Count == 0) return null;
        }
    }

    /// <summary>
    /// A saved model that records its samples' shape (<see cref="RecordedSampleShape"/>) must be given data of that
    /// shape, not merely of as many values.
    /// </summary>
    /// <param name="model">The saved model.</param>
    /// <param name="data">The data it is to take.</param>
    /// <param name="subject">How the message names the model file, e.g. "--model m.safetensors".</param>
    /// <param name="images">Which images the data are, e.g. "test".</param>
    /// <exception cref="ArgumentException">The shapes differ; the message gives both.</exception>
    internal static void RequireRecordedShape(Module model, Dataset data, string subject, string images)
    {
        if (RecordedSampleShape(model) is not { } expected || expected.AsSpan().SequenceEqual(data.SampleShape)) return;
        var unflatten = new Unflatten(expected);
        throw new ArgumentException(
            $"{subject}: the saved model takes {ImageSize(expected)} images (it starts with {unflatten.Describe()}), but the {images} images are {ImageSize(data.SampleShape)}.");
    }

    /// <summary>"14×56" for a one-channel image shape [1, 14, 56]; the shape as it is otherwise.</summary>
    private static string ImageSize(int[] shape) =>
        shape is [1, int rows, int columns] ? $"{rows}×{columns}" : Shapes.Format(shape);

    public static Optimizer BuildOptimizer(TrainOptions options, IEnumerable<Tensor> parameters)
    {
        double lr = options.LearningRateOrDefault, wd = options.WeightDecayOrDefault;
        return options.OptimizerOrDefault switch
        {
            "sgd" => new Sgd(parameters, lr, weightDecay: wd),
            "momentum" => new Sgd(parameters, lr, momentum: options.MomentumOrDefault, weightDecay: wd),
            "nesterov" => new Sgd(parameters, lr, momentum: options.MomentumOrDefault, nesterov: true, weightDecay: wd),
            "adagrad" => new AdaGrad(parameters, lr, weightDecay: wd),
            "rmsprop" => new RmsProp(parameters, lr, weightDecay: wd),
            "adam" => new Adam(parameters, lr, weightDecay: wd),
            _ => new AdamW(parameters, lr, weightDecay: wd), // wd defaults to 0.01 for adamw (WeightDecayOrDefault)
        };
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
        var shape = new[] { 0, Train.FeatureSize };
        foreach (var batch in Loader.Epoch(epoch))
        {
            double value;
            using (TensorScope.Begin(_arena)) // the step's tensors are released at its end; their storage and objects are reused by later steps
            {
                shape[0] = batch.Count;
                var x = Tensor.Wrap(batch.Features, shape);
                Optimizer.ZeroGrad();
                var loss = Functional.SoftmaxCrossEntropy(Model.Forward(x), batch.Labels);
                loss.Backward();
                Optimizer.Step();
                value = loss.Item();
            }
            if (!double.IsFinite(value))
                throw new InvalidOperationException($"The training loss became {value} in epoch {epoch + 1}; try a smaller --lr (or --detect-anomaly to find the operation).");
            lossSum += value * batch.Count;
            seen += batch.Count;
            onBatch?.Invoke(seen, lossSum / seen);
        }
        Scheduler?.Step();
        double trainSeconds = clock.Elapsed.TotalSeconds;
        double trainAccuracy = Accuracy(Model, Train);
        double testAccuracy = Accuracy(Model, Test);
        return new EpochResult(epoch + 1, lossSum / Math.Max(1, seen), trainAccuracy, testAccuracy, clock.Elapsed.TotalSeconds, seen / trainSeconds);
    }

    /// <summary>The fraction of samples whose highest-scoring class is the label (evaluation mode, no graph).</summary>
    public static double Accuracy(Module model, Dataset data)
    {
        if (data.Count == 0) return double.NaN;
        var predicted = Predict(model, data);
        int correct = 0;
        for (int i = 0; i < data.Count; i++) if (predicted[i] == data.Labels[i]) correct++;
        return (double)correct / data.Count;
    }

    /// <summary>The highest-scoring class of every sample, in evaluation mode without a graph.</summary>
    public static int[] Predict(Module model, Dataset data, int batchSize = 500)
    {
        bool wasTraining = model.Training;
        model.Eval();
        var predicted = new int[data.Count];
        using (Tensor.NoGrad())
        {
            for (int start = 0; start < data.Count; start += batchSize)
            {
                using var scope = TensorScope.Begin();
                int n = Math.Min(batchSize, data.Count - start);
                // The batch is copied into a tensor from the buffer pool, which the scope takes back: two new arrays per
                // batch (ToArray, then FromArray's copy) were large-object garbage, ≈ 60 MB per epoch for the 10,000
                // digits, which a CNN run's heap kept (832 MB peak resident after 8 epochs, 419 MB with the GC
                // conserving memory).
                var x = Tensor.Uninitialized(DType.Float32, (ReadOnlySpan<int>)[n, data.FeatureSize]);
                data.Features.AsSpan(start * data.FeatureSize, n * data.FeatureSize).CopyTo(x.F);
                var scores = model.Forward(x).ToFloatArray();
                int classes = scores.Length / n;
                for (int i = 0; i < n; i++)
                {
                    var row = scores.AsSpan(i * classes, classes);
                    int best = 0;
                    for (int c = 1; c < classes; c++) if (row[c] > row[best]) best = c;
                    predicted[start + i] = best;
                }
            }
        }
        model.Train(wasTraining);
        return predicted;
    }

    private static Dataset Take(Dataset data, int count) =>
        new(data.Features.AsSpan(0, count * data.FeatureSize).ToArray(), data.Labels.AsSpan(0, count).ToArray(), data.SampleShape, data.ClassCount);
}
