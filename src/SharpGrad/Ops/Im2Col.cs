using SharpGrad.Kernels;

namespace SharpGrad.Ops;

/// <summary>
/// Unfolds the sliding windows of an NCHW batch into a matrix (im2col). Forward:
/// y[(c, i, j), (n, oh, ow)] = x[n, c, oh·sh − ph + i, ow·sw − pw + j] (the pad value outside the image), shape
/// [C·kh·kw, N·OH·OW]. The map is linear, so its backward is its adjoint: ∂L/∂x = col2im(∂L/∂y), which sums the
/// gradients of every window a pixel appears in (padding positions receive nothing).
/// </summary>
internal sealed class Unfold : Node
{
    private WindowGeometry _geometry; // set on the recorded node, so an arena can reuse it

    public override string Symbol => "im2col";
    public override string OpName => "im2col";
    public override string Rule => "im2col: each pixel receives the sum of the gradients of the window positions it was copied to";

    public static Tensor Apply(Tensor x, WindowGeometry g, double padValue = 0)
    {
        var y = Tensor.Empty(x.DType, (ReadOnlySpan<int>)[g.Rows, g.Columns]);
        if (x.DType == DType.Float32) Im2Col.Unfold<float>(x.F, g, (float)padValue, y.F);
        else Im2Col.Unfold<double>(x.D, g, padValue, y.D);
        if (RecordNode<Unfold>(y, x) is { } node) node._geometry = g;
        return y;
    }

    protected override Tensor?[] BackwardCore(Tensor gradOutput) => Gradients(Fold.Apply(gradOutput, _geometry));
}

/// <summary>
/// Folds a column matrix back into an NCHW batch, adding overlapping windows (col2im, the adjoint of
/// <see cref="Unfold"/>). Forward: x = Σ over windows of the columns placed at their positions. Linear, so its
/// backward is im2col: ∂L/∂cols = im2col(∂L/∂x) with zero padding.
/// </summary>
internal sealed class Fold : Node
{
    private WindowGeometry _geometry; // set on the recorded node, so an arena can reuse it

    public override string Symbol => "col2im";
    public override string OpName => "col2im";
    public override string Rule => "col2im: each window position receives the gradient of the pixel it was added to";

    public static Tensor Apply(Tensor cols, WindowGeometry g)
    {
        if (cols.Rank != 2 || cols.Shape[0] != g.Rows || cols.Shape[1] != g.Columns)
            throw new ArgumentException($"col2im: columns of shape {Shapes.Format(cols.Shape)} do not match the window geometry ({g.Rows} × {g.Columns}).");
        var x = Tensor.Empty(cols.DType, (ReadOnlySpan<int>)[g.Batch, g.Channels, g.Height, g.Width]); // not g.InputShape, a new array per call
        if (cols.DType == DType.Float32) Im2Col.Fold<float>(cols.F, g, x.F);
        else Im2Col.Fold<double>(cols.D, g, x.D);
        if (RecordNode<Fold>(x, cols) is { } node) node._geometry = g;
        return x;
    }

    protected override Tensor?[] BackwardCore(Tensor gradOutput) => Gradients(Unfold.Apply(gradOutput, _geometry));
}
