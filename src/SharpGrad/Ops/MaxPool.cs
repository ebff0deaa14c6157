using SharpGrad.Kernels;

namespace SharpGrad.Ops;

/// <summary>
/// Picks, for every pooling window, the element of <c>values</c> at the window's argmax in <c>routing</c> (see
/// <see cref="MaxPooling"/>). Max pooling is <c>PoolGather(x, x)</c>. Forward: y[n, c, r, s] = values[n, c, argmax].
/// The choice of position is piecewise constant, so only <c>values</c> receives a gradient:
/// ∂L/∂values = scatter of ∂L/∂y to the argmax positions (<see cref="PoolScatter"/>), summed where windows overlap.
/// </summary>
internal sealed class PoolGather : Node
{
    private WindowGeometry _geometry; // set on the recorded node, so an arena can reuse it

    public override string Symbol => "maxpool";
    public override string OpName => "max_pool2d";
    public override string Rule => "max pooling: each window's gradient goes to the position of its maximum (the first, if tied)";

    public static Tensor Apply(Tensor values, Tensor routing, WindowGeometry g)
    {
        Kernel.RequireSameDType(values, routing, "maxPool2d");
        var y = Tensor.Uninitialized(values.DType, (ReadOnlySpan<int>)[g.Batch, g.Channels, g.OutH, g.OutW]);
        bool same = ReferenceEquals(values, routing);
        if (y.DType == DType.Float32) MaxPooling.Gather<float>(values.F, routing.F, y.F, g, same);
        else MaxPooling.Gather<double>(values.D, routing.D, y.D, g, same);
        if (RecordNode<PoolGather>(y, values, routing) is { } node) node._geometry = g;
        return y;
    }

    // When values and routing are one tensor (max pooling), the output holds each window's maximum: the scatter
    // then only has to find where it is.
    protected override Tensor?[] BackwardCore(Tensor gradOutput) =>
        Gradients(NeedsGrad(0) ? PoolScatter.Apply(gradOutput, Input(1), _geometry, ReferenceEquals(Input(0), Input(1)) ? Output : null) : null, null);
}

/// <summary>
/// The adjoint of <see cref="PoolGather"/>: adds each window's value of <c>grad</c> into an input-shaped tensor of
/// zeros at the window's argmax in <c>routing</c>. Linear in <c>grad</c>, so its backward is the gather:
/// ∂L/∂grad = PoolGather(∂L/∂z, routing); <c>routing</c> receives none.
/// </summary>
internal sealed class PoolScatter : Node
{
    private WindowGeometry _geometry; // set on the recorded node, so an arena can reuse it

    public override string Symbol => "unpool";
    public override string OpName => "max_unpool2d";
    public override string Rule => "max unpooling: each window receives the gradient at the position of its maximum";

    /// <param name="grad">Output-shaped values to scatter.</param>
    /// <param name="routing">The input-shaped tensor whose window maxima choose the positions.</param>
    /// <param name="g">The window geometry.</param>
    /// <param name="maxima">The windows' maxima of <paramref name="routing"/>, when already known (saves recomputing them).</param>
    public static Tensor Apply(Tensor grad, Tensor routing, WindowGeometry g, Tensor? maxima = null)
    {
        Kernel.RequireSameDType(grad, routing, "maxPool2d backward");
        ReadOnlySpan<int> shape = [g.Batch, g.Channels, g.Height, g.Width]; // not g.InputShape, a new array per call
        var z = MaxPooling.ScatterWritesEveryElement(g) ? Tensor.Uninitialized(grad.DType, shape) : Tensor.Empty(grad.DType, shape);
        if (z.DType == DType.Float32) MaxPooling.ScatterAdd<float>(grad.F, routing.F, z.F, g, maxima?.F);
        else MaxPooling.ScatterAdd<double>(grad.D, routing.D, z.D, g, maxima?.D);
        if (RecordNode<PoolScatter>(z, grad, routing) is { } node) node._geometry = g;
        return z;
    }

    protected override Tensor?[] BackwardCore(Tensor gradOutput) =>
        Gradients(NeedsGrad(0) ? PoolGather.Apply(gradOutput, Input(1), _geometry) : null, null);
}
