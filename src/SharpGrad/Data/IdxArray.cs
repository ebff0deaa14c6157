using System.Buffers.Binary;

namespace SharpGrad.Data;

/// <summary>
/// An n-dimensional array read from an IDX file: its element type, its dimensions and its data,
/// kept exactly as stored (row-major, big-endian), with accessors that convert to .NET types.
/// </summary>
public sealed class IdxArray
{
    private readonly byte[] _data;
    private readonly int[] _dimensions;

    /// <summary>Wraps already-validated IDX contents.</summary>
    /// <param name="dataType">The element type.</param>
    /// <param name="dimensions">The dimensions, each at least 1.</param>
    /// <param name="data">The raw big-endian data, exactly <c>product(dimensions) × element size</c> bytes.</param>
    /// <exception cref="ArgumentException">The data length does not match the dimensions.</exception>
    public IdxArray(IdxDataType dataType, int[] dimensions, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        ArgumentNullException.ThrowIfNull(data);
        long length = 1;
        foreach (int d in dimensions)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(d, 1, nameof(dimensions));
            length *= d;
            ArgumentOutOfRangeException.ThrowIfGreaterThan(length, (long)Array.MaxLength, nameof(dimensions));
        }

        int elementSize = IdxReader.ElementSize(dataType);
        if (length * elementSize != data.Length)
        {
            throw new ArgumentException(
                $"{length} elements of {dataType} need {length * elementSize} bytes, but {data.Length} were given.",
                nameof(data));
        }

        DataType = dataType;
        _dimensions = (int[])dimensions.Clone();
        _data = data;
        Length = (int)length;
    }

    /// <summary>The element type, from the file's magic number.</summary>
    public IdxDataType DataType { get; }

    /// <summary>The dimensions, outermost first (MNIST images: count, rows, columns). A copy.</summary>
    public int[] Dimensions => (int[])_dimensions.Clone();

    /// <summary>The number of dimensions.</summary>
    public int Rank => _dimensions.Length;

    /// <summary>The total number of elements: the product of <see cref="Dimensions"/>.</summary>
    public int Length { get; }

    /// <summary>The data exactly as stored: row-major, multi-byte values big-endian.</summary>
    /// <remarks>For <see cref="IdxDataType.UnsignedByte"/> these bytes are the values themselves.</remarks>
    public ReadOnlySpan<byte> RawData => _data;

    /// <summary>Gets the dimension at <paramref name="axis"/> without copying.</summary>
    /// <param name="axis">0 for the outermost dimension.</param>
    /// <returns>The size of that dimension.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="axis"/> is not in <c>[0, Rank)</c>.</exception>
    public int GetDimension(int axis)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(axis);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(axis, Rank);
        return _dimensions[axis];
    }

    /// <summary>The element at flat (row-major) <paramref name="index"/>, converted exactly to <see cref="double"/>.</summary>
    /// <param name="index">A flat index in <c>[0, Length)</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is out of range.</exception>
    public double this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Length);
            return Read(index);
        }
    }

    /// <summary>All elements converted to <see cref="double"/>; exact for every IDX type.</summary>
    /// <returns>A new array of <see cref="Length"/> values.</returns>
    public double[] ToDoubleArray()
    {
        var result = new double[Length];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = Read(i);
        }

        return result;
    }

    /// <summary>
    /// All elements converted to <see cref="float"/>; exact except for 32-bit integers beyond
    /// 2^24 and for doubles, which are rounded to nearest.
    /// </summary>
    /// <returns>A new array of <see cref="Length"/> values.</returns>
    public float[] ToSingleArray()
    {
        var result = new float[Length];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = DataType == IdxDataType.Int32 ? BinaryPrimitives.ReadInt32BigEndian(_data.AsSpan(i * 4)) : (float)Read(i);
        }

        return result;
    }

    /// <summary>All elements as <see cref="int"/>; only for the integer types, where it is exact.</summary>
    /// <returns>A new array of <see cref="Length"/> values.</returns>
    /// <exception cref="InvalidOperationException">The data type is <see cref="IdxDataType.Float32"/> or <see cref="IdxDataType.Float64"/>.</exception>
    public int[] ToInt32Array()
    {
        if (DataType is IdxDataType.Float32 or IdxDataType.Float64)
        {
            throw new InvalidOperationException($"IDX data of type {DataType} cannot be converted to integers exactly.");
        }

        var result = new int[Length];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = (int)Read(i);
        }

        return result;
    }

    private double Read(int index) => DataType switch
    {
        IdxDataType.UnsignedByte => _data[index],
        IdxDataType.SignedByte => (sbyte)_data[index],
        IdxDataType.Int16 => BinaryPrimitives.ReadInt16BigEndian(_data.AsSpan(index * 2)),
        IdxDataType.Int32 => BinaryPrimitives.ReadInt32BigEndian(_data.AsSpan(index * 4)),
        IdxDataType.Float32 => BinaryPrimitives.ReadSingleBigEndian(_data.AsSpan(index * 4)),
        _ => BinaryPrimitives.ReadDoubleBigEndian(_data.AsSpan(index * 8)),
    };
}
