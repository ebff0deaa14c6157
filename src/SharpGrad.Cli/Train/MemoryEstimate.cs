using System.Globalization;
using SharpGrad.Data;
using SharpGrad.Nn;

namespace SharpGrad.Cli.Train;

/// <summary>
/// About how much memory a training run needs, worked out from its settings before the model is allocated, so that a
/// run too large for the machine is refused with a line naming the option instead of being killed by the kernel's
/// out-of-memory killer after its banner.
/// </summary>
/// <remarks>
/// The parts: the weights (parameters × bytes per element), the same again for their gradients, one more copy per
/// state array the optimizer keeps (momentum's velocity; Adam's two moments), the data sets as floats, and the
/// activations of one training batch and of one batch of the accuracy measurement (<see cref="Trainer.Predict"/>, 500
/// samples at a time). Both batches are counted because the buffer pool keeps the training step's arrays (up to about
/// a gigabyte) while the accuracy is measured. Measured against it: --hidden 200000 --train-limit 100 --epochs 1
/// estimated 3.06 GB and peaked at 3.06 GB resident; --hidden 700000 estimated 10.6 GB and, under a heap limit of
/// 11.8 GB, ran and peaked at 10.4 GB. Without a limit that run peaked at 18.7 GB: its accuracy batches' arrays
/// (1.4 GB each) are too large for the buffer pool to keep, and the garbage collector, seeing memory to spare, leaves
/// them uncollected for a while. That is garbage the collector frees when memory runs short, not memory the run needs,
/// so the estimate leaves it out.
/// </remarks>
/// <param name="Parameters">The number of parameters.</param>
/// <param name="ElementBytes">Bytes per parameter (4 for float32).</param>
/// <param name="StateCopies">The optimizer's state arrays per parameter.</param>
/// <param name="StateName">What the optimizer's state is, for the message ("SGD's momentum").</param>
/// <param name="TrainActivationBytes">The activations of one training batch and their gradients.</param>
/// <param name="AccuracyActivationBytes">The activations of one batch of the accuracy measurement.</param>
/// <param name="DataBytes">The training and test sets in memory.</param>
internal sealed record MemoryEstimate(long Parameters, int ElementBytes, int StateCopies, string StateName, long TrainActivationBytes, long AccuracyActivationBytes, long DataBytes)
{
    /// <summary>The samples <see cref="Trainer.Predict"/> scores at a time.</summary>
    public const int AccuracyBatch = 500;

    /// <summary>The values a 28×28 sample makes in the CNN's forward pass: unfolded patches, convolution outputs (the product, the bias added, the permuted copy), ReLUs, poolings and the logits.</summary>
    private const long CnnValuesPerSample = (9 * 784) + (4 * 16 * 784) + (16 * 196) + (144 * 196) + (4 * 32 * 196) + (32 * 49) + 20;

    /// <summary>The bytes of the weights alone.</summary>
    public long WeightBytes => Parameters * ElementBytes;

    /// <summary>Weights, gradients and optimizer state.</summary>
    public long ModelBytes => WeightBytes * (2 + StateCopies);

    /// <summary>The activations of both batches.</summary>
    public long ActivationBytes => TrainActivationBytes + AccuracyActivationBytes;

    /// <summary>Everything counted.</summary>
    public long TotalBytes => ModelBytes + ActivationBytes + DataBytes;

    /// <summary>The estimate for a run with these (resolved) options on this data, of a model built from them or of <paramref name="resumed"/>.</summary>
    /// <param name="options">The run's settings (for a resumed run, merged with the saved ones).</param>
    /// <param name="train">The training set (before --train-limit).</param>
    /// <param name="test">The test set.</param>
    /// <param name="resumed">The model read by --resume, whose parameters are counted as they are; null for a new model.</param>
    public static MemoryEstimate For(TrainOptions options, Dataset train, Dataset test, Module? resumed = null)
    {
        const int floatBytes = sizeof(float);
        int trainCount = Math.Min(train.Count, options.TrainLimit ?? int.MaxValue);
        long trainBatch = Math.Max(1, Math.Min(options.BatchSizeOrDefault, trainCount)), accuracyBatch = Math.Min(AccuracyBatch, Math.Max(trainCount, test.Count));
        bool batchNorm = options.BatchNormOrDefault, dropout = options.DropoutOrDefault > 0;
        long parameters, trainValues, accuracyValues;
        if (options.ModelOrDefault == "cnn")
        {
            parameters = 16 * 9 + (32 * 16 * 9) + (32 * 49 * 10) + 10 + (batchNorm ? 2 * (16 + 32) : 16 + 32);
            long perSample = CnnValuesPerSample + (batchNorm ? 2 * ((16 * 784) + (32 * 196)) : 0) + (dropout ? 2 * 32 * 49 : 0);
            // The forward's values, their gradients and the unfolded patches' gradients: 2.5 times the forward's values
            // (measured: --model cnn --batch-size 8000 peaked at 9.06 GB resident; this gives 9.5 GB).
            trainValues = 5 * trainBatch * perSample / 2;
            accuracyValues = accuracyBatch * perSample;
        }
        else
        {
            // Per hidden layer of h: the Linear's and the ReLU's outputs, two more with batch normalisation (the output
            // and the normalised values kept for the backward), two more with dropout (the output and the mask).
            int[] hidden = options.HiddenOrDefault;
            long width = train.FeatureSize, hiddenValues = 0;
            parameters = 0;
            foreach (int h in hidden)
            {
                parameters += (width * h) + h + (batchNorm ? 2L * h : 0);
                hiddenValues += h * (2L + (batchNorm ? 2 : 0) + (dropout ? 2 : 0));
                width = h;
            }
            parameters += (width * train.ClassCount) + train.ClassCount;
            trainValues = 2 * trainBatch * (hiddenValues + (2L * train.ClassCount));
            accuracyValues = accuracyBatch * (train.FeatureSize + (2L * hidden.Sum(h => (long)h)) + train.ClassCount);
        }
        int elementBytes = floatBytes;
        if (resumed is not null)
        {
            var tensors = resumed.Parameters().ToArray();
            parameters = tensors.Sum(p => (long)p.Length);
            elementBytes = tensors.Any(p => p.DType == DType.Float64) ? sizeof(double) : floatBytes;
        }
        var (copies, name) = State(options);
        long data = ((long)train.Count * (train.FeatureSize + 1) + ((long)test.Count * (test.FeatureSize + 1))) * floatBytes; // features and labels
        return new MemoryEstimate(parameters, elementBytes, copies, name, trainValues * elementBytes, accuracyValues * elementBytes, data);
    }

    /// <summary>The state arrays per parameter the chosen optimizer keeps (see each optimizer's state names), and what they are.</summary>
    private static (int Copies, string Name) State(TrainOptions options) => options.OptimizerOrDefault switch
    {
        "momentum" or "nesterov" => (1, "for SGD's momentum"),
        // Sgd with weight decay but no momentum still makes its (unused) velocity buffer.
        "sgd" => options.WeightDecayOrDefault > 0 ? (1, "for SGD's velocity buffer") : (0, ""),
        "adagrad" => (1, "for AdaGrad's sums of squares"),
        "rmsprop" => (1, "for RMSprop's averages of squares"),
        _ => (2, $"twice for {(options.OptimizerOrDefault == "adamw" ? "AdamW" : "Adam")}'s two moment estimates"),
    };

    /// <summary>
    /// Refuses the run when the estimate exceeds <paramref name="availableBytes"/>, in one line naming the option that
    /// sets the size: --batch-size for the CNN (whose layers are fixed) and for an MLP whose training batch's activations
    /// outweigh its weights, gradients and optimizer state; --hidden otherwise.
    /// </summary>
    /// <param name="options">The run's settings, as <see cref="For"/> was given them.</param>
    /// <param name="availableBytes">What the process may use (<see cref="GCMemoryInfo.TotalAvailableMemoryBytes"/>).</param>
    /// <exception cref="ArgumentException">The run needs more than <paramref name="availableBytes"/>.</exception>
    public void Check(TrainOptions options, long availableBytes)
    {
        if (TotalBytes <= availableBytes) return;
        bool cnn = options.ModelOrDefault == "cnn";
        bool blameBatch = cnn || TrainActivationBytes > ModelBytes;
        string subject = blameBatch
            ? $"--batch-size {options.BatchSizeOrDefault}"
            : $"--hidden {string.Join(",", options.HiddenOrDefault)}";
        string model = StateCopies switch
        {
            0 => $"{Size(WeightBytes)} of weights and the same again for their gradients",
            _ => $"{Size(WeightBytes)} of weights, the same again for their gradients and {StateName}",
        };
        string advice = blameBatch ? "give a smaller --batch-size" : "give smaller --hidden sizes";
        throw new ArgumentException(
            $"{subject}: the run needs about {Size(TotalBytes)} ({model}, {Size(ActivationBytes)} for a batch's activations and {Size(DataBytes)} for the data), " +
            $"more than the {Size(availableBytes)} this process may use; {advice}.");
    }

    /// <summary>
    /// Bytes in decimal units: gigabytes with one decimal from 0.95 GB ("19.1 GB"), whole megabytes below that
    /// ("636 MB"), and "under 1 MB" for less.
    /// </summary>
    internal static string Size(long bytes) => bytes switch
    {
        >= 950_000_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e9:F1} GB"),
        >= 500_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e6:F0} MB"),
        _ => "under 1 MB",
    };
}
