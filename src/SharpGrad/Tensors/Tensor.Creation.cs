namespace SharpGrad;

public sealed partial class Tensor
{
    /// <summary>A zero-filled tensor whose storage comes from the buffer pool (<paramref name="shape"/> is not copied).</summary>
    internal static Tensor Empty(DType dtype, int[] shape) => Create(BufferPool.Rent(dtype, Shapes.Size(shape), clear: true), shape, default, ownsData: true);

    /// <summary>A zero-filled tensor from the buffer pool; <paramref name="shape"/> is copied unless a reused tensor already holds an equal shape.</summary>
    internal static Tensor Empty(DType dtype, ReadOnlySpan<int> shape) => Create(BufferPool.Rent(dtype, Shapes.Size(shape), clear: true), null, shape, ownsData: true);

    /// <summary>
    /// A tensor with unspecified contents, from the buffer pool, for a kernel that writes every element
    /// (<paramref name="shape"/> is not copied).
    /// </summary>
    internal static Tensor Uninitialized(DType dtype, int[] shape) => Create(BufferPool.Rent(dtype, Shapes.Size(shape), clear: false), shape, default, ownsData: true);

    /// <summary>
    /// A tensor with unspecified contents from the buffer pool; <paramref name="shape"/> is copied unless a reused tensor
    /// already holds an equal shape.
    /// </summary>
    internal static Tensor Uninitialized(DType dtype, ReadOnlySpan<int> shape) => Create(BufferPool.Rent(dtype, Shapes.Size(shape), clear: false), null, shape, ownsData: true);

    /// <summary>A float32 tensor holding a copy of <paramref name="values"/> in the given shape (1-D when no shape is given).</summary>
    /// <param name="values">Row-major values.</param>
    /// <param name="shape">The dimensions; their product must equal the number of values.</param>
    /// <returns>The tensor.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> or <paramref name="shape"/> is null.</exception>
    public static Tensor FromArray(float[] values, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(shape);
        return new((float[])values.Clone(), shape.Length == 0 ? [values.Length] : (int[])shape.Clone());
    }

    /// <summary>A float64 tensor holding a copy of <paramref name="values"/> in the given shape (1-D when no shape is given).</summary>
    /// <param name="values">Row-major values.</param>
    /// <param name="shape">The dimensions; their product must equal the number of values.</param>
    /// <returns>The tensor.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> or <paramref name="shape"/> is null.</exception>
    public static Tensor FromArray(double[] values, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(shape);
        return new((double[])values.Clone(), shape.Length == 0 ? [values.Length] : (int[])shape.Clone());
    }

    /// <summary>A 2-D float32 tensor from a rectangular array.</summary>
    /// <param name="values">The values; <c>values[i, j]</c> becomes element (i, j).</param>
    /// <returns>The tensor.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is null.</exception>
    public static Tensor FromArray(float[,] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var flat = new float[values.Length];
        Buffer.BlockCopy(values, 0, flat, 0, values.Length * sizeof(float));
        return new Tensor(flat, [values.GetLength(0), values.GetLength(1)]);
    }

    /// <summary>A 2-D float64 tensor from a rectangular array.</summary>
    /// <param name="values">The values; <c>values[i, j]</c> becomes element (i, j).</param>
    /// <returns>The tensor.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is null.</exception>
    public static Tensor FromArray(double[,] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var flat = new double[values.Length];
        Buffer.BlockCopy(values, 0, flat, 0, values.Length * sizeof(double));
        return new Tensor(flat, [values.GetLength(0), values.GetLength(1)]);
    }

    /// <summary>Wraps an existing array without copying: later changes to the array are seen by the tensor.</summary>
    /// <param name="values">Row-major values.</param>
    /// <param name="shape">The dimensions.</param>
    /// <returns>The tensor.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> or <paramref name="shape"/> is null.</exception>
    public static Tensor Wrap(float[] values, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(shape);
        return Create(values, null, shape, ownsData: false); // shape copied
    }

    /// <summary>Wraps an existing array without copying: later changes to the array are seen by the tensor.</summary>
    /// <param name="values">Row-major values.</param>
    /// <param name="shape">The dimensions.</param>
    /// <returns>The tensor.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> or <paramref name="shape"/> is null.</exception>
    public static Tensor Wrap(double[] values, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(shape);
        return Create(values, null, shape, ownsData: false); // shape copied
    }

    /// <summary>A zero-dimensional tensor holding one value.</summary>
    /// <param name="value">The value.</param>
    /// <param name="dtype">The element type (float32 by default).</param>
    /// <param name="requiresGrad">Whether gradients should flow to it.</param>
    /// <returns>The tensor.</returns>
    public static Tensor Scalar(double value, DType dtype = DType.Float32, bool requiresGrad = false) =>
        Full(value, dtype, []).WithRequiresGrad(requiresGrad);

    /// <summary>A float32 tensor of zeros.</summary>
    /// <param name="shape">The dimensions.</param>
    /// <returns>The tensor.</returns>
    public static Tensor Zeros(params int[] shape) => Zeros(DType.Float32, shape);

    /// <summary>A tensor of zeros.</summary>
    /// <param name="dtype">The element type.</param>
    /// <param name="shape">The dimensions.</param>
    /// <returns>The tensor.</returns>
    public static Tensor Zeros(DType dtype, params int[] shape) => Empty(dtype, (int[])shape.Clone());

    /// <summary>A float32 tensor of ones.</summary>
    /// <param name="shape">The dimensions.</param>
    /// <returns>The tensor.</returns>
    public static Tensor Ones(params int[] shape) => Full(1.0, DType.Float32, shape);

    /// <summary>A tensor of ones.</summary>
    /// <param name="dtype">The element type.</param>
    /// <param name="shape">The dimensions.</param>
    /// <returns>The tensor.</returns>
    public static Tensor Ones(DType dtype, params int[] shape) => Full(1.0, dtype, shape);

    /// <summary>A tensor with every element equal to <paramref name="value"/>.</summary>
    /// <param name="value">The fill value.</param>
    /// <param name="dtype">The element type.</param>
    /// <param name="shape">The dimensions.</param>
    /// <returns>The tensor.</returns>
    public static Tensor Full(double value, DType dtype, params int[] shape)
    {
        var t = Empty(dtype, (ReadOnlySpan<int>)shape); // copied (unless a reused tensor holds an equal shape)
        if (dtype == DType.Float32) Array.Fill(t.F, (float)value);
        else Array.Fill(t.D, value);
        return t;
    }

    /// <summary>A tensor of zeros with this tensor's shape and dtype.</summary>
    /// <returns>The tensor.</returns>
    public Tensor ZerosLike() => Empty(DType, _shape); // shape arrays are never changed after creation, so tensors may share one

    /// <summary>A tensor of ones with this tensor's shape and dtype.</summary>
    /// <returns>The tensor.</returns>
    public Tensor OnesLike() => Full(1.0, DType, _shape);

    /// <summary>Samples from a normal distribution with the given mean and standard deviation.</summary>
    /// <param name="generator">The seeded generator.</param>
    /// <param name="mean">The mean.</param>
    /// <param name="std">The standard deviation.</param>
    /// <param name="dtype">The element type.</param>
    /// <param name="shape">The dimensions.</param>
    /// <returns>The tensor.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="mean"/> is not finite, or <paramref name="std"/> is negative or not finite (PyTorch's rule).</exception>
    public static Tensor RandomNormal(Generator generator, double mean, double std, DType dtype, params int[] shape)
    {
        if (!double.IsFinite(mean)) throw new ArgumentOutOfRangeException(nameof(mean), $"RandomNormal: the mean must be a finite number, not {mean.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
        if (!(std >= 0) || double.IsInfinity(std)) throw new ArgumentOutOfRangeException(nameof(std), $"RandomNormal: the standard deviation must be a finite number ≥ 0, not {std.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
        var t = Empty(dtype, (int[])shape.Clone());
        for (int i = 0; i < t.Length; i++) t.SetFlat(i, mean + std * generator.NextNormal());
        return t;
    }

    /// <summary>Samples uniformly from [<paramref name="low"/>, <paramref name="high"/>).</summary>
    /// <param name="generator">The seeded generator.</param>
    /// <param name="low">The inclusive lower bound.</param>
    /// <param name="high">The exclusive upper bound.</param>
    /// <param name="dtype">The element type.</param>
    /// <param name="shape">The dimensions.</param>
    /// <returns>The tensor.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A bound is not finite, or <paramref name="low"/> is above <paramref name="high"/> (PyTorch's rule).</exception>
    public static Tensor RandomUniform(Generator generator, double low, double high, DType dtype, params int[] shape)
    {
        if (!double.IsFinite(low) || !double.IsFinite(high) || low > high)
            throw new ArgumentOutOfRangeException(nameof(low), string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"RandomUniform: the range [{low}, {high}) must have finite bounds with low ≤ high."));
        var t = Empty(dtype, (int[])shape.Clone());
        for (int i = 0; i < t.Length; i++) t.SetFlat(i, low + (high - low) * generator.NextDouble());
        return t;
    }

    /// <summary>Evenly spaced values 0, 1, …, <paramref name="count"/> − 1.</summary>
    /// <param name="count">How many values.</param>
    /// <param name="dtype">The element type.</param>
    /// <returns>The 1-D tensor.</returns>
    public static Tensor Arange(int count, DType dtype = DType.Float32)
    {
        var t = Empty(dtype, [count]);
        for (int i = 0; i < count; i++) t.SetFlat(i, i);
        return t;
    }

    /// <summary>Sets <see cref="RequiresGrad"/> and returns this tensor, for fluent construction.</summary>
    /// <param name="requiresGrad">The new value.</param>
    /// <returns>This tensor.</returns>
    public Tensor WithRequiresGrad(bool requiresGrad = true)
    {
        RequiresGrad = requiresGrad;
        return this;
    }

    /// <summary>Sets <see cref="Name"/> and returns this tensor, for fluent construction.</summary>
    /// <param name="name">The name.</param>
    /// <returns>This tensor.</returns>
    public Tensor WithName(string name)
    {
        Name = name;
        return this;
    }

    internal double GetFlat(int i) => DType == DType.Float32 ? F[i] : D[i];

    internal void SetFlat(int i, double v)
    {
        if (DType == DType.Float32) F[i] = (float)v;
        else D[i] = v;
    }
}
