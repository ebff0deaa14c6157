namespace SharpGrad.Ops;

/// <summary>
/// Softmax followed by cross-entropy against integer class labels, averaged over the batch, in one stable step.
/// Forward: L = −(1/N) Σᵢ log softmax(xᵢ)[tᵢ], computed through log-softmax so logits of 1e8 or 1000 give
/// finite results. Backward: ∂L/∂xᵢ = (softmax(xᵢ) − onehot(tᵢ)) · ∂L/∂L' / N.
/// </summary>
internal sealed class SoftmaxCrossEntropy : Node
{
    private int[] _labels = [];
    private Tensor? _probabilities;

    public override string Symbol => "CE";
    public override string OpName => "softmax_cross_entropy";
    public override string Rule => "softmax cross-entropy: each row receives (softmax − one-hot label) · gradient / batch size";

    public static Tensor Apply(Tensor logits, int[] labels)
    {
        if (logits.Rank != 2)
            throw new ArgumentException($"softmaxCrossEntropy: logits must be 2-D (batch × classes), not {Shapes.Format(logits.Shape)}.");
        int n = logits.Shape[0], c = logits.Shape[1];
        if (n == 0) throw new ArgumentException("softmaxCrossEntropy: the batch is empty (logits of shape " + Shapes.Format(logits.Shape) + "); the mean loss is undefined.");
        if (labels.Length != n)
            throw new ArgumentException($"softmaxCrossEntropy: {labels.Length} labels for a batch of {n} (logits {Shapes.Format(logits.Shape)}).");
        for (int i = 0; i < n; i++)
            if ((uint)labels[i] >= (uint)c)
                throw new ArgumentException($"softmaxCrossEntropy: label {labels[i]} at position {i} is outside [0, {c}) for logits {Shapes.Format(logits.Shape)}.");
        var logp = Softmax.Compute(logits, 1, log: true);
        double sum = 0;
        for (int i = 0; i < n; i++) sum -= logp.GetFlat(i * c + labels[i]);
        var loss = Tensor.Scalar(sum / n, logits.DType);
        if (RecordNode<SoftmaxCrossEntropy>(loss, logits) is not { } node) return loss;
        node._probabilities = Exp.Apply(logp); // kept for the backward
        if (node._labels.Length != n) node._labels = new int[n];
        labels.CopyTo(node._labels); // a copy: the caller may refill its array before the backward
        return loss;
    }

    protected override Tensor?[] BackwardCore(Tensor gradOutput)
    {
        var logits = Input(0);
        var labels = _labels;
        int n = logits.Shape[0], c = logits.Shape[1];
        if (!GradMode.IsEnabled)
        {
            // Fused: (p − onehot) · g/N in one pass over the saved probabilities.
            var probabilities = _probabilities ?? throw new InvalidOperationException("softmaxCrossEntropy: saved values were released.");
            var gx = Tensor.Uninitialized(logits.DType, logits.ShapeRef);
            double s = gradOutput.Item() / n;
            if (gx.DType == DType.Float32) System.Numerics.Tensors.TensorPrimitives.Multiply(probabilities.F, (float)s, gx.F);
            else System.Numerics.Tensors.TensorPrimitives.Multiply(probabilities.D, s, gx.D);
            for (int i = 0; i < n; i++) gx.SetFlat(i * c + labels[i], gx.GetFlat(i * c + labels[i]) - s);
            return Gradients(gx);
        }
        var oneHot = logits.ZerosLike();
        for (int i = 0; i < n; i++) oneHot.SetFlat(i * c + labels[i], 1);
        // The backward is recorded: softmax is recomputed from the logits so second derivatives flow through it.
        var p = Softmax.Apply(logits, 1);
        var scale = Mul.Apply(gradOutput, Tensor.Scalar(1.0 / n, logits.DType));
        return Gradients(Mul.Apply(Sub.Apply(p, oneHot), scale));
    }

    protected override void ReleaseSaved() => _probabilities = null;
}
