using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace SharpGrad.IO;

/// <summary>
/// Reads and writes one array in NumPy's <c>.npy</c> layout on a stream:
/// <c>\x93NUMPY</c>, major and minor version bytes, the header length (uint16 little-endian in version 1.0,
/// uint32 in 2.0 and 3.0), the header dictionary (Latin-1, or UTF-8 in 3.0), then the raw elements.
/// </summary>
internal static class NpyFormat
{
    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Reads one array of exactly <paramref name="length"/> bytes from <paramref name="stream"/>.</summary>
    /// <param name="stream">Positioned at the magic string.</param>
    /// <param name="length">The number of bytes the array occupies (the file or zip entry length).</param>
    /// <param name="label">The file (or "archive.npz/entry.npy") named in error messages.</param>
    /// <returns>A row-major tensor.</returns>
    public static Tensor Read(Stream stream, long length, string label)
    {
        try
        {
            return ReadCore(stream, length, label);
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException)
        {
            throw new SharpGradFormatException(label, $"the data ends early or is corrupt ({e.Message})", e);
        }
    }

    private static Tensor ReadCore(Stream stream, long length, string label)
    {
        if (length < 10) throw new SharpGradFormatException(label, $"the file is {length} bytes long, too short for an NPY preamble (at least 10)");
        Span<byte> preamble = stackalloc byte[12];
        stream.ReadExactly(preamble[..8]);
        if (!preamble[..6].SequenceEqual(Magic))
            throw new SharpGradFormatException(label, "bad magic string: not an NPY file (expected \\x93NUMPY)");
        byte major = preamble[6], minor = preamble[7];
        if (minor != 0 || major is < 1 or > 3)
            throw new SharpGradFormatException(label, $"unsupported NPY format version {major}.{minor} (1.0, 2.0 and 3.0 are read)");
        int preambleLength = major == 1 ? 10 : 12;
        if (length < preambleLength) throw new SharpGradFormatException(label, $"the file is {length} bytes long, too short for an NPY {major}.0 preamble");
        stream.ReadExactly(preamble[8..preambleLength]);
        long headerLength = major == 1
            ? BinaryPrimitives.ReadUInt16LittleEndian(preamble[8..])
            : BinaryPrimitives.ReadUInt32LittleEndian(preamble[8..]);
        if (preambleLength + headerLength > length)
            throw new SharpGradFormatException(label, $"the header length {headerLength} runs beyond the end of the file ({length} bytes)");
        if (headerLength > NpyHeader.MaxHeaderLength)
            throw new SharpGradFormatException(label, $"the header length {headerLength} exceeds the {NpyHeader.MaxHeaderLength}-byte limit");

        var headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);
        var text = major == 3 ? Encoding.UTF8.GetString(headerBytes) : Encoding.Latin1.GetString(headerBytes);
        NpyHeader header;
        try
        {
            header = NpyHeader.Parse(text);
        }
        catch (FormatException e)
        {
            throw new SharpGradFormatException(label, $"unparsable header dictionary: {e.Message}", e);
        }

        long count = 1;
        foreach (int d in header.Shape)
        {
            count *= d;
            if (count > Array.MaxLength)
                throw new SharpGradFormatException(label, $"shape {header.FormatShape()} holds more elements than a SharpGrad tensor can ({Array.MaxLength})");
        }
        long dataLength = length - preambleLength - headerLength;
        long needed = count * header.ElementSize;
        if (dataLength != needed)
            throw new SharpGradFormatException(label, $"shape {header.FormatShape()} of {(header.DType == DType.Float32 ? "float32" : "float64")} needs {needed} bytes of data but the file holds {dataLength}");

        var shape = header.Shape;
        return header.DType == DType.Float32
            ? Tensor.Wrap(ReadElements<float>(stream, (int)count, header), shape)
            : Tensor.Wrap(ReadElements<double>(stream, (int)count, header), shape);
    }

    private static T[] ReadElements<T>(Stream stream, int count, NpyHeader header) where T : unmanaged
    {
        var values = new T[count];
        stream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
        if (header.BigEndian == BitConverter.IsLittleEndian)
        {
            if (typeof(T) == typeof(float)) BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<T, int>(values.AsSpan()), MemoryMarshal.Cast<T, int>(values.AsSpan()));
            else BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<T, long>(values.AsSpan()), MemoryMarshal.Cast<T, long>(values.AsSpan()));
        }
        return header.FortranOrder && header.Shape.Length > 1 ? FortranToRowMajor(values, header.Shape) : values;
    }

    /// <summary>
    /// Reorders column-major values (first index fastest) into row-major order (last index fastest):
    /// <c>rowMajor[Σ iₖ·rowStrideₖ] = columnMajor[Σ iₖ·colStrideₖ]</c>.
    /// </summary>
    internal static T[] FortranToRowMajor<T>(T[] columnMajor, int[] shape)
    {
        var rowMajor = new T[columnMajor.Length];
        var rowStrides = Shapes.Strides(shape);
        var index = new int[shape.Length];
        int offset = 0;
        for (int j = 0; j < columnMajor.Length; j++)
        {
            rowMajor[offset] = columnMajor[j];
            for (int k = 0; k < shape.Length; k++) // advance the column-major counter, first index fastest
            {
                if (++index[k] < shape[k]) { offset += rowStrides[k]; break; }
                offset -= (index[k] - 1) * rowStrides[k];
                index[k] = 0;
            }
        }
        return rowMajor;
    }

    /// <summary>
    /// Writes <paramref name="tensor"/> as a little-endian, C-order array: format version 1.0 when the header fits
    /// a 2-byte length, else 2.0. Float32 becomes <c>'&lt;f4'</c>, float64 <c>'&lt;f8'</c>.
    /// </summary>
    /// <param name="stream">The destination.</param>
    /// <param name="tensor">The array.</param>
    public static void Write(Stream stream, Tensor tensor)
    {
        var header = new NpyHeader(tensor.DType, BigEndian: false, FortranOrder: false, tensor.ShapeArray());
        var text = header.Format(10);
        int major = 1;
        if (text.Length > ushort.MaxValue)
        {
            text = header.Format(12);
            major = 2;
        }
        Span<byte> preamble = stackalloc byte[12];
        Magic.CopyTo(preamble);
        preamble[6] = (byte)major;
        preamble[7] = 0;
        if (major == 1) BinaryPrimitives.WriteUInt16LittleEndian(preamble[8..], (ushort)text.Length);
        else BinaryPrimitives.WriteUInt32LittleEndian(preamble[8..], (uint)text.Length);
        stream.Write(preamble[..(major == 1 ? 10 : 12)]);
        stream.Write(Encoding.Latin1.GetBytes(text));
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Writing NPY files needs a little-endian machine.");
        if (tensor.DType == DType.Float32) stream.Write(MemoryMarshal.AsBytes(tensor.F.AsSpan()));
        else stream.Write(MemoryMarshal.AsBytes(tensor.D.AsSpan()));
    }

}
