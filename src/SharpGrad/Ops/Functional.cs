namespace SharpGrad;

/// <summary>Loss functions and other operations that are not methods of a single tensor.</summary>
public static partial class Functional
{
    /// <summary>
    /// Mean squared error: L = (1/n) Σ (prediction − target)², over all elements; ∂L/∂prediction = 2(prediction − target)/n.
    /// </summary>
    /// <param name="prediction">The predictions.</param>
    /// <param name="target">The targets, with the same shape as the predictions.</param>
    /// <returns>The scalar loss.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="prediction"/> or <paramref name="target"/> is null.</exception>
    /// <exception cref="ArgumentException">The shapes differ (a [n, 1] prediction against a [n] target would otherwise
    /// broadcast to [n, n] and give a silently wrong loss), or the dtypes do.</exception>
    public static Tensor MseLoss(Tensor prediction, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(target);
        if (!Shapes.Equal(prediction.Shape, target.Shape))
            throw new ArgumentException($"mseLoss: prediction {Shapes.Format(prediction.Shape)} and target {Shapes.Format(target.Shape)} have different shapes; reshape one so they match.");
        if (prediction.DType != target.DType)
            throw new ArgumentException($"mseLoss: prediction ({prediction.DType}) and target ({target.DType}) have different dtypes; convert one with To().");
        return (prediction - target).Square().Mean();
    }

    /// <summary>
    /// Softmax cross-entropy with integer labels, averaged over the batch: L = −(1/N) Σᵢ log softmax(xᵢ)[tᵢ].
    /// Numerically stable (logits of 1000 give finite values); ∂L/∂x = (softmax(x) − onehot(t)) / N.
    /// </summary>
    /// <param name="logits">Unnormalised scores, batch × classes.</param>
    /// <param name="labels">One class index in [0, classes) per row.</param>
    /// <returns>The scalar loss.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="logits"/> or <paramref name="labels"/> is null.</exception>
    /// <exception cref="ArgumentException">The batch is empty, the label count differs from the batch size, or a label is out of range.</exception>
    public static Tensor SoftmaxCrossEntropy(Tensor logits, int[] labels)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(labels);
        return Ops.SoftmaxCrossEntropy.Apply(logits, labels);
    }
}
