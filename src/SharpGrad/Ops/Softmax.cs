namespace SharpGrad.Ops;

/// <summary>
/// Softmax along an axis. Forward: yᵢ = exp(xᵢ − m) / Σⱼ exp(xⱼ − m), m = max x (stable for large inputs).
/// Backward: ∂L/∂x = y · (∂L/∂y − Σⱼ ∂L/∂yⱼ · yⱼ).
/// </summary>
internal sealed class Softmax : Node
{
    private int _axis; // normalised; set on the recorded node, so an arena can reuse it

    public override string Symbol => "softmax";
    public override string Rule => "softmax: the input receives y·(gradient − Σ gradient·y)";

    public static Tensor Apply(Tensor x, int axis)
    {
        axis = Shapes.NormalizeAxis(axis, x.Shape, "softmax");
        var y = Compute(x, axis, log: false);
        if (RecordNode<Softmax>(y, x) is { } node) node._axis = axis;
        return y;
    }

    /// <summary>Runs the softmax or log-softmax kernel along <paramref name="axis"/>, already normalised (0 ≤ axis &lt; rank).</summary>
    internal static Tensor Compute(Tensor x, int axis, bool log)
    {
        int outer = 1, n = x.Shape[axis], inner = 1;
        for (int i = 0; i < axis; i++) outer *= x.Shape[i];
        for (int i = axis + 1; i < x.Rank; i++) inner *= x.Shape[i];
        var y = Tensor.Uninitialized(x.DType, x.ShapeRef);
        if (n == 0) return y;
        if (x.DType == DType.Float32) Kernels.Reductions.Softmax<float>(x.F, outer, n, inner, y.F, log);
        else Kernels.Reductions.Softmax<double>(x.D, outer, n, inner, y.D, log);
        return y;
    }

    protected override Tensor?[] BackwardCore(Tensor gradOutput)
    {
        var y = Output;
        var gy = Mul.Apply(gradOutput, y);
        return Gradients(Sub.Apply(gy, Mul.Apply(y, gy.Sum(_axis, keepDims: true))));
    }
}

/// <summary>
/// Log-softmax along an axis. Forward: yᵢ = xᵢ − m − log Σⱼ exp(xⱼ − m). Backward:
/// ∂L/∂x = ∂L/∂y − exp(y) · Σⱼ ∂L/∂yⱼ.
/// </summary>
internal sealed class LogSoftmax : Node
{
    private int _axis; // normalised; set on the recorded node, so an arena can reuse it

    public override string Symbol => "logsoftmax";
    public override string Rule => "log-softmax: the input receives gradient − softmax(x)·Σ gradient";

    public static Tensor Apply(Tensor x, int axis)
    {
        axis = Shapes.NormalizeAxis(axis, x.Shape, "logSoftmax");
        var y = Softmax.Compute(x, axis, log: true);
        if (RecordNode<LogSoftmax>(y, x) is { } node) node._axis = axis;
        return y;
    }

    protected override Tensor?[] BackwardCore(Tensor gradOutput) =>
        Gradients(Sub.Apply(gradOutput, Mul.Apply(Exp.Apply(Output), gradOutput.Sum(_axis, keepDims: true))));
}
