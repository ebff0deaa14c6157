namespace SharpGrad.Data;

/// <summary>
/// What an IDX file must hold, checked against its 4-byte magic number (element type and number of dimensions)
/// before the dimensions are read, so a wrong file fails with "expected 1 dimension (labels), found 3" rather than
/// with whatever the misread dimensions happen to imply.
/// </summary>
/// <param name="DataType">The element type the file must declare.</param>
/// <param name="Rank">The number of dimensions the file must declare.</param>
/// <param name="Contents">What the file holds, for messages (e.g. "labels").</param>
public sealed record IdxExpectation(IdxDataType DataType, int Rank, string Contents)
{
    /// <summary>MNIST images: unsigned bytes, 3 dimensions (count × rows × columns).</summary>
    public static IdxExpectation MnistImages { get; } = new(IdxDataType.UnsignedByte, 3, "images");

    /// <summary>MNIST labels: unsigned bytes, 1 dimension (count).</summary>
    public static IdxExpectation MnistLabels { get; } = new(IdxDataType.UnsignedByte, 1, "labels");

    /// <summary>The problem with a header declaring <paramref name="dataType"/> and <paramref name="rank"/>, or null if it fits.</summary>
    internal string? Mismatch(IdxDataType dataType, int rank)
    {
        if (rank != Rank) return $"expected {Rank} dimension{(Rank == 1 ? "" : "s")} ({Contents}), found {rank}";
        if (dataType != DataType) return $"expected elements of type {DataType} ({Contents}), found {dataType}";
        return null;
    }
}
