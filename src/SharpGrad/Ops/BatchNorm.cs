namespace SharpGrad;

public static partial class Functional
{
    /// <summary>
    /// Batch normalisation over every axis except the channel axis 1 (inputs [N, C] or [N, C, …]):
    /// y = (x − μ) / √(σ² + ε) · γ + β, per channel. In training μ and σ² are the batch mean and biased variance, and
    /// the running estimates are updated in place as r ← (1 − momentum)·r + momentum·s, with the unbiased variance
    /// σ²·m/(m − 1) (m values per channel) for the running variance, as in PyTorch. Otherwise μ and σ² are the running
    /// estimates. Composed from tensor operations, so gradients flow through the batch statistics.
    /// </summary>
    /// <param name="input">x, shape [N, C] or [N, C, …].</param>
    /// <param name="runningMean">Running mean, shape [C]; updated in place in training.</param>
    /// <param name="runningVar">Running variance, shape [C]; updated in place in training.</param>
    /// <param name="weight">γ, shape [C], or null for 1.</param>
    /// <param name="bias">β, shape [C], or null for 0.</param>
    /// <param name="training">Use and update batch statistics (true) or use the running ones (false).</param>
    /// <param name="momentum">The running estimates' update factor, in [0, 1].</param>
    /// <param name="epsilon">ε, added to the variance.</param>
    /// <returns>y, with x's shape.</returns>
    /// <exception cref="ArgumentException">Shapes or dtypes disagree, or training with one value per channel.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// The momentum is not in [0, 1] (NaN included: it turned the running estimates into NaN), or ε is not a finite
    /// positive number (a negative ε made the output NaN, an infinite one made it 0).
    /// </exception>
    public static Tensor BatchNorm(Tensor input, Tensor runningMean, Tensor runningVar, Tensor? weight, Tensor? bias, bool training, double momentum = 0.1, double epsilon = 1e-5)
    {
        if (input.Rank < 2)
            throw new ArgumentException($"batchNorm: input {Shapes.Format(input.Shape)} must be [N, C] or [N, C, …].");
        int channels = input.Shape[1];
        // The checks, the statistics' shape [1, C, 1, …] and the axes other than 1 use no heap arrays: batch
        // normalisation runs on every training step, which must not allocate.
        foreach (var t in (ReadOnlySpan<Tensor?>)[runningMean, runningVar, weight, bias])
            if (t is not null && (t.Rank != 1 || t.Shape[0] != channels))
                throw new ArgumentException($"batchNorm: statistics and affine parameters must have shape [{channels}] for input {Shapes.Format(input.Shape)}, not {Shapes.Format(t.Shape)}.");
        foreach (var t in (ReadOnlySpan<Tensor?>)[runningMean, runningVar, weight, bias])
            if (t is not null) Ops.Kernel.RequireSameDType(input, t, "batchNorm"); // not left to an inner mul, which names reshaped [1, C, 1, …] statistics
        if (!(momentum >= 0 && momentum <= 1))
            throw new ArgumentOutOfRangeException(nameof(momentum), $"batchNorm: the momentum must be in [0, 1], not {momentum.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
        ArgumentChecks.FinitePositive(epsilon, nameof(epsilon), "batchNorm: ε");
        Span<int> statShape = input.Rank <= 16 ? stackalloc int[input.Rank] : new int[input.Rank];
        statShape.Fill(1);
        statShape[1] = channels;
        Span<int> axes = input.Rank <= 16 ? stackalloc int[input.Rank - 1] : new int[input.Rank - 1];
        axes[0] = 0;
        for (int a = 2; a < input.Rank; a++) axes[a - 1] = a;
        Tensor mean, variance;
        if (training)
        {
            int count = input.Length / Math.Max(channels, 1);
            if (count < 2)
                throw new ArgumentException($"batchNorm: training needs more than one value per channel, but input {Shapes.Format(input.Shape)} has {count}.");
            mean = input.Mean(axes, keepDims: true);
            variance = (input - mean).Square().Mean(axes, keepDims: true);
            using (Tensor.NoGrad())
            {
                UpdateRunning(runningMean, mean, momentum, 1);
                UpdateRunning(runningVar, variance, momentum, count / (count - 1.0));
            }
        }
        else
        {
            mean = runningMean.Reshape(statShape);
            variance = runningVar.Reshape(statShape);
        }
        var y = (input - mean) * (variance + epsilon).Pow(-0.5);
        if (weight is not null) y *= weight.Reshape(statShape);
        if (bias is not null) y += bias.Reshape(statShape);
        return y;
    }

    /// <summary>running ← (1 − momentum)·running + momentum·factor·batch, in place.</summary>
    private static void UpdateRunning(Tensor running, Tensor batch, double momentum, double factor)
    {
        for (int c = 0; c < running.Length; c++)
            running.SetFlat(c, (1 - momentum) * running.GetFlat(c) + momentum * factor * batch.GetFlat(c));
        running.BumpVersion();
    }
}
