namespace SharpGrad.Nn;

/// <summary>Ready-made classifiers for 28×28 single-channel images such as MNIST.</summary>
public static class Models
{
    /// <summary>
    /// A small convolutional network for [N, 784] or [N, 1, 28, 28] inputs with 10 classes:
    /// Unflatten[1, 28, 28] – Conv2d(1 → 16, 3×3, padding 1) – [BatchNorm2d(16)] – ReLU – MaxPool2d(2) –
    /// Conv2d(16 → 32, 3×3, padding 1) – [BatchNorm2d(32)] – ReLU – MaxPool2d(2) – Flatten – [Dropout(p)] –
    /// Linear(32·7·7 → 10). About 20,000 parameters; the outputs are logits.
    /// </summary>
    /// <param name="generator">The seeded generator for weights and dropout masks.</param>
    /// <param name="batchNorm">Insert BatchNorm2d after each convolution (the convolutions then have no bias).</param>
    /// <param name="dropout">The dropout probability before the last layer, in [0, 1] as for <see cref="Dropout"/>; 0 for none.</param>
    /// <returns>The model, in training mode.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dropout"/> is outside [0, 1] or NaN.</exception>
    public static Sequential Cnn(Generator generator, bool batchNorm = false, double dropout = 0)
    {
        Functional.RequireDropoutProbability(dropout, nameof(dropout));
        var model = new Sequential(new Unflatten(1, 28, 28));
        foreach (var (input, output) in new[] { (1, 16), (16, 32) })
        {
            model.Add(new Conv2d(input, output, 3, generator, padding: 1, bias: !batchNorm));
            if (batchNorm) model.Add(new BatchNorm2d(output));
            model.Add(new ReLU()).Add(new MaxPool2d(2));
        }
        model.Add(new Flatten());
        if (dropout > 0) model.Add(new Dropout(dropout, generator));
        return model.Add(new Linear(32 * 7 * 7, 10, generator));
    }

    /// <summary>
    /// A multilayer perceptron: for each hidden width h, Linear(→ h) – [BatchNorm1d(h)] – ReLU – [Dropout(p)]; then
    /// Linear(→ classes). The outputs are logits.
    /// </summary>
    /// <param name="hidden">The hidden layers' widths, first to last (may be empty for a linear classifier).</param>
    /// <param name="batchNorm">Insert BatchNorm1d after each hidden Linear.</param>
    /// <param name="dropout">The dropout probability after each hidden layer, in [0, 1] as for <see cref="Dropout"/>; 0 for none.</param>
    /// <param name="generator">The seeded generator for weights and dropout masks.</param>
    /// <param name="inputs">The input features (784 for MNIST).</param>
    /// <param name="classes">The number of classes.</param>
    /// <returns>The model, in training mode.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dropout"/> is outside [0, 1] or NaN (checked even without hidden layers).</exception>
    public static Sequential Mlp(int[] hidden, bool batchNorm, double dropout, Generator generator, int inputs = 784, int classes = 10)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        Functional.RequireDropoutProbability(dropout, nameof(dropout));
        var model = new Sequential(new Flatten());
        int width = inputs;
        foreach (int h in hidden)
        {
            model.Add(new Linear(width, h, generator));
            if (batchNorm) model.Add(new BatchNorm1d(h));
            model.Add(new ReLU());
            if (dropout > 0) model.Add(new Dropout(dropout, generator));
            width = h;
        }
        return model.Add(new Linear(width, classes, generator));
    }
}
