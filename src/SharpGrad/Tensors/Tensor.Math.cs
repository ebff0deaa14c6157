using SharpGrad.Ops;

namespace SharpGrad;

public sealed partial class Tensor
{
    /// <summary>Element-wise sum with broadcasting: z = x + y. Gradient: passed through to both (summed over broadcast dimensions).</summary>
    /// <param name="x">Left operand.</param>
    /// <param name="y">Right operand.</param>
    /// <returns>The sum.</returns>
    public static Tensor operator +(Tensor x, Tensor y) => Add.Apply(x, y);

    /// <summary>Adds a constant: z = x + c.</summary>
    /// <param name="x">The tensor.</param>
    /// <param name="c">The constant.</param>
    /// <returns>The sum.</returns>
    public static Tensor operator +(Tensor x, double c) => Add.Apply(x, Scalar(c, x.DType));

    /// <summary>Adds a constant: z = c + x.</summary>
    /// <param name="c">The constant.</param>
    /// <param name="x">The tensor.</param>
    /// <returns>The sum.</returns>
    public static Tensor operator +(double c, Tensor x) => Add.Apply(Scalar(c, x.DType), x);

    /// <summary>Element-wise difference with broadcasting: z = x − y.</summary>
    /// <param name="x">Left operand.</param>
    /// <param name="y">Right operand.</param>
    /// <returns>The difference.</returns>
    public static Tensor operator -(Tensor x, Tensor y) => Sub.Apply(x, y);

    /// <summary>Subtracts a constant: z = x − c.</summary>
    /// <param name="x">The tensor.</param>
    /// <param name="c">The constant.</param>
    /// <returns>The difference.</returns>
    public static Tensor operator -(Tensor x, double c) => Sub.Apply(x, Scalar(c, x.DType));

    /// <summary>Subtracts from a constant: z = c − x.</summary>
    /// <param name="c">The constant.</param>
    /// <param name="x">The tensor.</param>
    /// <returns>The difference.</returns>
    public static Tensor operator -(double c, Tensor x) => Sub.Apply(Scalar(c, x.DType), x);

    /// <summary>Negation: y = −x.</summary>
    /// <param name="x">The tensor.</param>
    /// <returns>The negated tensor.</returns>
    public static Tensor operator -(Tensor x) => Neg.Apply(x);

    /// <summary>Element-wise product with broadcasting: z = x · y. Gradient: each input receives the gradient times the other.</summary>
    /// <param name="x">Left operand.</param>
    /// <param name="y">Right operand.</param>
    /// <returns>The product.</returns>
    public static Tensor operator *(Tensor x, Tensor y) => Mul.Apply(x, y);

    /// <summary>Multiplies by a constant: z = x · c.</summary>
    /// <param name="x">The tensor.</param>
    /// <param name="c">The constant.</param>
    /// <returns>The product.</returns>
    public static Tensor operator *(Tensor x, double c) => Mul.Apply(x, Scalar(c, x.DType));

    /// <summary>Multiplies by a constant: z = c · x.</summary>
    /// <param name="c">The constant.</param>
    /// <param name="x">The tensor.</param>
    /// <returns>The product.</returns>
    public static Tensor operator *(double c, Tensor x) => Mul.Apply(Scalar(c, x.DType), x);

    /// <summary>Element-wise quotient with broadcasting: z = x / y.</summary>
    /// <param name="x">Numerator.</param>
    /// <param name="y">Denominator.</param>
    /// <returns>The quotient.</returns>
    public static Tensor operator /(Tensor x, Tensor y) => Div.Apply(x, y);

    /// <summary>Divides by a constant: z = x / c.</summary>
    /// <param name="x">The tensor.</param>
    /// <param name="c">The constant.</param>
    /// <returns>The quotient.</returns>
    public static Tensor operator /(Tensor x, double c) => Div.Apply(x, Scalar(c, x.DType));

    /// <summary>Divides a constant: z = c / x.</summary>
    /// <param name="c">The constant.</param>
    /// <param name="x">The tensor.</param>
    /// <returns>The quotient.</returns>
    public static Tensor operator /(double c, Tensor x) => Div.Apply(Scalar(c, x.DType), x);

    /// <summary>Power with a constant exponent: y = xᶜ; ∂y/∂x = c·xᶜ⁻¹ (0 when c = 0).</summary>
    /// <param name="exponent">The exponent c.</param>
    /// <returns>The power.</returns>
    public Tensor Pow(double exponent) => Ops.Pow.Apply(this, exponent);

    /// <summary>
    /// Power with a tensor exponent, element-wise with broadcasting: z = xʸ (<see cref="Math.Pow(double, double)"/> semantics,
    /// so (−2)² = 4 and 0⁰ = 1). ∂z/∂x = y·xʸ⁻¹ (0 where y = 0); ∂z/∂y = z·ln x, taken as 0 where x = 0 and y ≥ 0
    /// (PyTorch's rule) and NaN where x &lt; 0.
    /// </summary>
    /// <param name="exponent">The exponent y, broadcast against this tensor.</param>
    /// <returns>The power.</returns>
    /// <exception cref="ArgumentException">The shapes cannot be broadcast together, or the dtypes differ.</exception>
    public Tensor Pow(Tensor exponent) => Ops.PowTensor.Apply(this, exponent);

    /// <summary>A copy with its own storage, recorded as an identity node: ∂y/∂x = 1 (the gradient passes through).</summary>
    /// <returns>The copy.</returns>
    public Tensor Clone() => Ops.Copy.Clone(this);

    /// <summary>y = x²; ∂y/∂x = 2x.</summary>
    /// <returns>The square.</returns>
    public Tensor Square() => Ops.Pow.Apply(this, 2);

    /// <summary>y = eˣ; ∂y/∂x = y.</summary>
    /// <returns>The exponential.</returns>
    public Tensor Exp() => Ops.Exp.Apply(this);

    /// <summary>y = ln x; ∂y/∂x = 1/x.</summary>
    /// <returns>The natural logarithm.</returns>
    public Tensor Log() => Ops.Log.Apply(this);

    /// <summary>y = √x; ∂y/∂x = 1/(2y).</summary>
    /// <returns>The square root.</returns>
    public Tensor Sqrt() => Ops.Sqrt.Apply(this);

    /// <summary>y = tanh x; ∂y/∂x = 1 − y².</summary>
    /// <returns>The hyperbolic tangent.</returns>
    public Tensor Tanh() => Ops.Tanh.Apply(this);

    /// <summary>y = 1/(1 + e⁻ˣ); ∂y/∂x = y(1 − y).</summary>
    /// <returns>The logistic sigmoid.</returns>
    public Tensor Sigmoid() => Ops.Sigmoid.Apply(this);

    /// <summary>y = max(x, 0); ∂y/∂x = 1 where x &gt; 0, else 0 (0 at x = 0). NaN stays NaN.</summary>
    /// <returns>The rectified tensor.</returns>
    public Tensor Relu() => Ops.Relu.Apply(this);

    /// <summary>y = sin x; ∂y/∂x = cos x.</summary>
    /// <returns>The sine.</returns>
    public Tensor Sin() => Ops.Sin.Apply(this);

    /// <summary>y = cos x; ∂y/∂x = −sin x.</summary>
    /// <returns>The cosine.</returns>
    public Tensor Cos() => Ops.Cos.Apply(this);

    /// <summary>y = |x|; ∂y/∂x = sign x (0 at x = 0).</summary>
    /// <returns>The absolute value.</returns>
    public Tensor Abs() => Ops.Abs.Apply(this);

    /// <summary>The sum of all elements, as a zero-dimensional tensor. Each element receives the gradient unchanged.</summary>
    /// <returns>The sum.</returns>
    public Tensor Sum() => Node.MarkPartOf(SumAll(), this, "Sum");

    /// <summary>The sum of all elements, its nodes not yet marked (<see cref="Mean()"/> marks them once, as its own).</summary>
    private Tensor SumAll()
    {
        Span<int> ones = Rank <= 16 ? stackalloc int[Rank] : new int[Rank];
        ones.Fill(1);
        return Ops.Reshape.Apply(Ops.SumTo.Apply(this, ones), []);
    }

    /// <summary>The sum along the given axes: y = Σ over those axes of x.</summary>
    /// <param name="axes">The axes to sum over (negative counts from the end), each at most once.</param>
    /// <param name="keepDims">Keep the summed axes with size 1.</param>
    /// <returns>The sum.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="axes"/> is null (which would otherwise be an empty span: no axis summed).</exception>
    /// <exception cref="ArgumentOutOfRangeException">An axis is out of range.</exception>
    /// <exception cref="ArgumentException">An axis appears twice (also as 2 and −1 of a rank-3 tensor), as NumPy and PyTorch refuse it.</exception>
    public Tensor Sum(int[] axes, bool keepDims = false)
    {
        ArgumentNullException.ThrowIfNull(axes);
        return Sum((ReadOnlySpan<int>)axes, keepDims);
    }

    /// <summary>
    /// The sum along the given axes: y = Σ over those axes of x. Each summed element receives the gradient of its
    /// sum unchanged. Takes the axes as a span, so a call such as <c>x.Sum([0, 2, 3], keepDims: true)</c> allocates
    /// no array.
    /// </summary>
    /// <param name="axes">The axes to sum over (negative counts from the end), each at most once.</param>
    /// <param name="keepDims">Keep the summed axes with size 1.</param>
    /// <returns>The sum.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An axis is out of range.</exception>
    /// <exception cref="ArgumentException">An axis appears twice (also as 2 and −1 of a rank-3 tensor), as NumPy and PyTorch refuse it.</exception>
    public Tensor Sum(ReadOnlySpan<int> axes, bool keepDims = false)
    {
        Span<bool> summed = Rank <= 16 ? stackalloc bool[Rank] : new bool[Rank];
        MarkAxes(axes, summed, "sum");
        return Node.MarkPartOf(SumMarked(summed, keepDims), this, "Sum");
    }

    /// <summary>The sum over the axes marked in <paramref name="summed"/>, on the stack (no set, no LINQ): batch normalisation sums on every training step.</summary>
    private Tensor SumMarked(ReadOnlySpan<bool> summed, bool keepDims)
    {
        // The summed axes as 1s in a copy of the shape.
        Span<int> kept = Rank <= 16 ? stackalloc int[Rank] : new int[Rank];
        Shape.CopyTo(kept);
        for (int i = 0; i < Rank; i++)
            if (summed[i]) kept[i] = 1;
        var sum = Ops.SumTo.Apply(this, kept);
        if (keepDims) return sum;
        int rank = 0;
        for (int i = 0; i < Rank; i++)
            if (!summed[i]) kept[rank++] = Shape[i];
        return Ops.Reshape.Apply(sum, kept[..rank]);
    }

    /// <summary>The sum along one axis.</summary>
    /// <param name="axis">The axis (negative counts from the end).</param>
    /// <param name="keepDims">Keep the axis with size 1.</param>
    /// <returns>The sum.</returns>
    public Tensor Sum(int axis, bool keepDims = false) => Sum([axis], keepDims);

    /// <summary>The mean of all elements, as a zero-dimensional tensor. Each element receives gradient / count.</summary>
    /// <returns>The mean.</returns>
    public Tensor Mean() => Node.MarkPartOf(SumAll() * (1.0 / Length), this, "Mean");

    /// <summary>The mean along the given axes: y = (1/m) Σ over those axes of x, m the number of values averaged.</summary>
    /// <param name="axes">The axes to average over (negative counts from the end), each at most once.</param>
    /// <param name="keepDims">Keep the averaged axes with size 1.</param>
    /// <returns>The mean.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="axes"/> is null (which would otherwise be an empty span: no axis averaged).</exception>
    /// <exception cref="ArgumentOutOfRangeException">An axis is out of range.</exception>
    /// <exception cref="ArgumentException">An axis appears twice, as NumPy and PyTorch refuse it.</exception>
    public Tensor Mean(int[] axes, bool keepDims = false)
    {
        ArgumentNullException.ThrowIfNull(axes);
        return Mean((ReadOnlySpan<int>)axes, keepDims);
    }

    /// <summary>
    /// The mean along the given axes: y = (1/m) Σ over those axes of x, m the number of values averaged; each
    /// averaged element receives gradient / m. Takes the axes as a span, so a call such as
    /// <c>x.Mean([0, 2, 3], keepDims: true)</c> allocates no array.
    /// </summary>
    /// <param name="axes">The axes to average over (negative counts from the end), each at most once.</param>
    /// <param name="keepDims">Keep the averaged axes with size 1.</param>
    /// <returns>The mean.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An axis is out of range.</exception>
    /// <exception cref="ArgumentException">An axis appears twice, as NumPy and PyTorch refuse it.</exception>
    public Tensor Mean(ReadOnlySpan<int> axes, bool keepDims = false)
    {
        Span<bool> summed = Rank <= 16 ? stackalloc bool[Rank] : new bool[Rank];
        int count = MarkAxes(axes, summed, "mean");
        return Node.MarkPartOf(SumMarked(summed, keepDims) * (1.0 / count), this, "Mean");
    }

    /// <summary>
    /// Marks each of <paramref name="axes"/>, normalised, in <paramref name="marked"/>, refusing an axis given twice;
    /// returns the number of values each sum over them takes (the product of their sizes).
    /// </summary>
    private int MarkAxes(ReadOnlySpan<int> axes, Span<bool> marked, string operation)
    {
        int count = 1;
        foreach (int a in axes)
        {
            int axis = Shapes.NormalizeAxis(a, Shape, operation);
            if (marked[axis])
                throw new ArgumentException($"{operation}: axis {axis} appears more than once in {Shapes.Format(axes)} for a tensor of shape {Shapes.Format(Shape)}.", nameof(axes));
            marked[axis] = true;
            count *= Shape[axis];
        }
        return count;
    }

    /// <summary>The mean along one axis.</summary>
    /// <param name="axis">The axis.</param>
    /// <param name="keepDims">Keep the axis with size 1.</param>
    /// <returns>The mean.</returns>
    public Tensor Mean(int axis, bool keepDims = false) => Mean([axis], keepDims);

    /// <summary>
    /// The maximum along an axis. The gradient goes to the position of the maximum; with ties, all of it to the
    /// first maximal position. A NaN along the axis gives NaN.
    /// </summary>
    /// <param name="axis">The axis.</param>
    /// <param name="keepDims">Keep the axis with size 1.</param>
    /// <returns>The maxima.</returns>
    public Tensor Max(int axis, bool keepDims = false) => Ops.Max.Apply(this, axis, keepDims);

    /// <summary>
    /// The same values in a new shape: y[i₀, …, iₖ] = x at the same row-major position, so the element count is
    /// unchanged; one dimension may be −1 to be inferred. The gradient is reshaped back.
    /// </summary>
    /// <param name="shape">The new dimensions.</param>
    /// <returns>The reshaped tensor, sharing storage (this tensor when the shape is unchanged).</returns>
    /// <exception cref="ArgumentException">The shape does not hold the tensor's elements; the message names both shapes.</exception>
    public Tensor Reshape(params int[] shape) => Ops.Reshape.Apply(this, shape);

    /// <summary>
    /// The same values in a new shape: y[i₀, …, iₖ] = x at the same row-major position, so the element count is
    /// unchanged; one dimension may be −1 to be inferred. The gradient is reshaped back. Takes the shape as a span,
    /// so <c>x.Reshape(n, -1)</c> allocates no array for it.
    /// </summary>
    /// <param name="shape">The new dimensions.</param>
    /// <returns>The reshaped tensor, sharing storage (this tensor when the shape is unchanged).</returns>
    /// <exception cref="ArgumentException">The shape does not hold the tensor's elements; the message names both shapes.</exception>
    public Tensor Reshape(params ReadOnlySpan<int> shape) => Ops.Reshape.Apply(this, shape);

    /// <summary>
    /// Reorders the axes: output axis i is input axis <paramref name="perm"/>[i], so
    /// y[j₀, …, jₖ] = x[i] with i[perm[m]] = jₘ. The gradient is permuted back by the inverse permutation.
    /// </summary>
    /// <param name="perm">A permutation of the axes (negative axes count from the end).</param>
    /// <returns>The permuted tensor (a copy).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="perm"/> is null.</exception>
    /// <exception cref="ArgumentException">The axes are not a permutation of this tensor's axes.</exception>
    public Tensor Permute(params int[] perm)
    {
        ArgumentNullException.ThrowIfNull(perm);
        return Ops.Permute.Apply(this, perm);
    }

    /// <summary>
    /// Reorders the axes: output axis i is input axis <paramref name="perm"/>[i], so
    /// y[j₀, …, jₖ] = x[i] with i[perm[m]] = jₘ. The gradient is permuted back by the inverse permutation. Takes the
    /// permutation as a span, so <c>x.Permute(1, 0, 2)</c> allocates no array for it.
    /// </summary>
    /// <param name="perm">A permutation of the axes (negative axes count from the end).</param>
    /// <returns>The permuted tensor (a copy).</returns>
    /// <exception cref="ArgumentException">The axes are not a permutation of this tensor's axes.</exception>
    public Tensor Permute(params ReadOnlySpan<int> perm) => Ops.Permute.Apply(this, perm);

    /// <summary>Swaps the last two axes (the matrix transpose for 2-D tensors; a 1-D or scalar tensor is returned as is).</summary>
    /// <returns>The transposed tensor.</returns>
    public Tensor Transpose() => Rank < 2 ? this : Transpose(-2, -1);

    /// <summary>Swaps two axes.</summary>
    /// <param name="axis0">The first axis.</param>
    /// <param name="axis1">The second axis.</param>
    /// <returns>The transposed tensor.</returns>
    public Tensor Transpose(int axis0, int axis1)
    {
        Span<int> perm = Rank <= 16 ? stackalloc int[Rank] : new int[Rank];
        for (int i = 0; i < perm.Length; i++) perm[i] = i;
        int a = Shapes.NormalizeAxis(axis0, Shape, "transpose"), b = Shapes.NormalizeAxis(axis1, Shape, "transpose");
        (perm[a], perm[b]) = (perm[b], perm[a]);
        return Ops.Permute.Apply(this, perm);
    }

    /// <summary>Repeats the values to a larger shape by NumPy's broadcasting rules; the gradient is summed back.</summary>
    /// <param name="shape">The target shape.</param>
    /// <returns>The broadcast tensor.</returns>
    public Tensor BroadcastTo(params int[] shape) => Ops.BroadcastTo.Apply(this, shape);

    /// <summary>Sums down to a shape that broadcasts to this one (the inverse of <see cref="BroadcastTo"/>).</summary>
    /// <param name="shape">The target shape.</param>
    /// <returns>The summed tensor.</returns>
    public Tensor SumTo(params int[] shape) => Ops.SumTo.Apply(this, shape);

    /// <summary>Softmax along an axis (the last by default), computed stably.</summary>
    /// <param name="axis">The axis.</param>
    /// <returns>The probabilities.</returns>
    public Tensor Softmax(int axis = -1) => Ops.Softmax.Apply(this, axis);

    /// <summary>Log-softmax along an axis (the last by default): x − log Σ exp x, computed stably.</summary>
    /// <param name="axis">The axis.</param>
    /// <returns>The log-probabilities.</returns>
    public Tensor LogSoftmax(int axis = -1) => Ops.LogSoftmax.Apply(this, axis);

    /// <summary>
    /// Matrix product with NumPy's rules: 1-D · 1-D is a dot product; a 1-D left operand is a row vector and a
    /// 1-D right operand a column vector (the added dimension is removed afterwards); operands of rank 3 or more
    /// are batches of matrices whose batch dimensions broadcast. Gradients: ∂L/∂A = ∂L/∂C·Bᵀ, ∂L/∂B = Aᵀ·∂L/∂C.
    /// </summary>
    /// <param name="other">The right operand.</param>
    /// <returns>The product.</returns>
    public Tensor MatMul(Tensor other) => MatMulRules.Apply(this, other);
}
