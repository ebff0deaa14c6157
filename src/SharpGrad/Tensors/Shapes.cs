namespace SharpGrad;

/// <summary>Shape arithmetic shared by tensors and kernels: sizes, strides and NumPy broadcasting.</summary>
public static class Shapes
{
    /// <summary>The number of elements of a shape: the product of its dimensions (1 for a scalar's empty shape).</summary>
    /// <param name="shape">The dimensions.</param>
    /// <returns>The element count.</returns>
    /// <exception cref="ArgumentException">A dimension is negative or the product exceeds <see cref="int.MaxValue"/>.</exception>
    public static int Size(ReadOnlySpan<int> shape)
    {
        long size = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new ArgumentException($"Shape {Format(shape)} has a negative dimension.");
            size *= d;
            if (size > int.MaxValue) throw new ArgumentException($"Shape {Format(shape)} has more than {int.MaxValue} elements.");
        }
        return (int)size;
    }

    /// <summary>Formats a shape as <c>[2, 3]</c>.</summary>
    /// <param name="shape">The dimensions.</param>
    /// <returns>The text.</returns>
    public static string Format(ReadOnlySpan<int> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";

    /// <summary>Row-major (C-order) strides of a shape, in elements.</summary>
    /// <param name="shape">The dimensions.</param>
    /// <returns>The strides: the last is 1.</returns>
    public static int[] Strides(ReadOnlySpan<int> shape)
    {
        var strides = new int[shape.Length];
        int s = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            strides[i] = s;
            s *= shape[i];
        }
        return strides;
    }

    /// <summary>
    /// The shape two operands broadcast to, by NumPy's rules: shapes are aligned at the right and each pair
    /// of dimensions must be equal or one of them 1.
    /// </summary>
    /// <param name="a">The first shape.</param>
    /// <param name="b">The second shape.</param>
    /// <param name="operation">The operation's name, for the error message.</param>
    /// <returns>The broadcast shape.</returns>
    /// <exception cref="ArgumentException">The shapes are incompatible; the message names both.</exception>
    public static int[] Broadcast(ReadOnlySpan<int> a, ReadOnlySpan<int> b, string operation)
    {
        var result = new int[Math.Max(a.Length, b.Length)];
        Broadcast(a, b, operation, result);
        return result;
    }

    /// <summary>As <see cref="Broadcast(ReadOnlySpan{int}, ReadOnlySpan{int}, string)"/>, into a caller's buffer (a stack one, on the hot path).</summary>
    /// <param name="a">The first shape.</param>
    /// <param name="b">The second shape.</param>
    /// <param name="operation">The operation's name, for the error message.</param>
    /// <param name="result">Receives the broadcast shape; its length is the larger rank.</param>
    internal static void Broadcast(ReadOnlySpan<int> a, ReadOnlySpan<int> b, string operation, Span<int> result)
    {
        int rank = result.Length;
        for (int i = 0; i < rank; i++)
        {
            int da = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            int db = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            if (da != db && da != 1 && db != 1)
                throw new ArgumentException($"{operation}: shapes {Format(a)} and {Format(b)} cannot be broadcast together (dimension {i} of the aligned shapes: {da} vs {db}).");
            result[i] = da == 1 ? db : da;
        }
    }

    /// <summary>
    /// The strides with which an operand of <paramref name="shape"/> is read when broadcast to <paramref name="target"/>:
    /// 0 along broadcast dimensions.
    /// </summary>
    /// <param name="shape">The operand's shape; must broadcast to <paramref name="target"/>.</param>
    /// <param name="target">The broadcast shape.</param>
    /// <returns>One stride per dimension of <paramref name="target"/>.</returns>
    internal static int[] BroadcastStrides(ReadOnlySpan<int> shape, ReadOnlySpan<int> target)
    {
        var result = new int[target.Length];
        BroadcastStrides(shape, target, result);
        return result;
    }

    /// <summary>As <see cref="BroadcastStrides(ReadOnlySpan{int}, ReadOnlySpan{int})"/>, into a caller's buffer of <paramref name="target"/>'s rank.</summary>
    /// <param name="shape">The operand's shape; must broadcast to <paramref name="target"/>.</param>
    /// <param name="target">The broadcast shape.</param>
    /// <param name="result">Receives one stride per dimension of <paramref name="target"/>.</param>
    internal static void BroadcastStrides(ReadOnlySpan<int> shape, ReadOnlySpan<int> target, Span<int> result)
    {
        int offset = target.Length - shape.Length, stride = 1;
        for (int i = target.Length - 1; i >= 0; i--)
        {
            int j = i - offset;
            result[i] = j < 0 || shape[j] == 1 ? 0 : stride; // the operand's own row-major stride where it is not broadcast
            if (j >= 0) stride *= shape[j];
        }
    }

    /// <summary>True when <paramref name="a"/> and <paramref name="b"/> broadcast together (NumPy's rule).</summary>
    internal static bool CanBroadcastTogether(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        for (int i = 1; i <= Math.Min(a.Length, b.Length); i++)
            if (a[^i] != b[^i] && a[^i] != 1 && b[^i] != 1) return false;
        return true;
    }

    /// <summary>True when <paramref name="shape"/> can be broadcast to <paramref name="target"/>.</summary>
    /// <param name="shape">The source shape.</param>
    /// <param name="target">The target shape.</param>
    /// <returns>Whether broadcasting is possible.</returns>
    public static bool CanBroadcastTo(ReadOnlySpan<int> shape, ReadOnlySpan<int> target)
    {
        if (shape.Length > target.Length) return false;
        int offset = target.Length - shape.Length;
        for (int i = 0; i < shape.Length; i++)
            if (shape[i] != 1 && shape[i] != target[i + offset]) return false;
        return true;
    }

    /// <summary>Turns a possibly negative axis (−1 is the last) into an index in [0, rank).</summary>
    /// <param name="axis">The axis.</param>
    /// <param name="shape">The tensor's shape, for the rank and the message.</param>
    /// <param name="operation">The operation, as the message starts.</param>
    /// <returns>The normalised axis.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The axis is out of range; the message names the operation, the axis and the shape.</exception>
    public static int NormalizeAxis(int axis, ReadOnlySpan<int> shape, string operation)
    {
        int rank = shape.Length;
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank)
            throw new ArgumentOutOfRangeException(nameof(axis), AxisOutOfRange(axis, shape, operation));
        return a;
    }

    // Apart, so the message (and its allocations) is made only when it is thrown.
    private static string AxisOutOfRange(int axis, ReadOnlySpan<int> shape, string operation) => shape.Length == 0
        ? $"{operation}: axis {axis} is out of range for a tensor of shape {Format(shape)}, which has no axes."
        : $"{operation}: axis {axis} is out of range for a tensor of shape {Format(shape)} (axes −{shape.Length} to {shape.Length - 1}).";

    /// <summary>Whether two shapes are equal.</summary>
    /// <param name="a">The first shape.</param>
    /// <param name="b">The second shape.</param>
    /// <returns>True when they have the same dimensions.</returns>
    public static bool Equal(ReadOnlySpan<int> a, ReadOnlySpan<int> b) => a.SequenceEqual(b);
}
