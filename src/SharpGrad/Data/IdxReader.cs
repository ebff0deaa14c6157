using System.Buffers.Binary;
using SharpGrad.IO;

namespace SharpGrad.Data;

/// <summary>
/// Reads the IDX format used by MNIST and Fashion-MNIST, raw or gzip-compressed.
/// </summary>
/// <remarks>
/// <para>Layout: a 4-byte magic number (two zero bytes, a type code from <see cref="IdxDataType"/>,
/// and the number of dimensions), then each dimension as a big-endian int32, then the elements
/// row-major and big-endian.</para>
/// <para>Gzip is recognised by its <c>1F 8B</c> magic, whatever the file is called.</para>
/// <para>The header is never trusted: its dimensions, read as unsigned, are checked (each from 1 to
/// <see cref="int.MaxValue"/>, at most <see cref="MaxDataBytes"/> bytes in all) before anything is allocated, and the data is read in
/// bounded chunks that grow only as real bytes arrive, so a lying header fails fast with a
/// <see cref="SharpGradFormatException"/> instead of a huge allocation or a long read.</para>
/// <para>Trailing bytes after the declared data are an error: they mean the header and the file
/// disagree (the MNIST files have none).</para>
/// <para>Damaged gzip data is reported as such ("corrupt gzip data"), also when it first shows as more or fewer
/// bytes of data than the header declares: the rest of the stream is then decompressed so that zlib checks the
/// CRC-32 and length in the gzip trailer, and a stream that ends without its trailer is reported as truncated.
/// Concatenated gzip members are read as one stream.</para>
/// </remarks>
public static class IdxReader
{
    /// <summary>The largest data section accepted, in bytes: <see cref="Array.MaxLength"/> (just under 2 GiB).</summary>
    public static readonly long MaxDataBytes = Array.MaxLength;

    private const int FirstChunkBytes = 1 << 20;

    /// <summary>Reads an IDX file, raw or gzip-compressed.</summary>
    /// <param name="path">The file to read.</param>
    /// <returns>The array the file holds.</returns>
    /// <exception cref="SharpGradFormatException">The file is not a valid IDX file; the message names <paramref name="path"/>.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="IOException">The file could not be read.</exception>
    public static IdxArray Read(string path) => Read(path, expectation: null);

    /// <summary>Reads an IDX file, raw or gzip-compressed, that must hold what <paramref name="expectation"/> says.</summary>
    /// <param name="path">The file to read.</param>
    /// <param name="expectation">The element type and number of dimensions required, or null for any.</param>
    /// <returns>The array the file holds.</returns>
    /// <exception cref="SharpGradFormatException">
    /// The file is not a valid IDX file, or its header declares another element type or number of dimensions
    /// (checked first, e.g. "expected 1 dimension (labels), found 3"); the message names <paramref name="path"/>.
    /// </exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="IOException">The file could not be read.</exception>
    public static IdxArray Read(string path, IdxExpectation? expectation)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = File.OpenRead(path);
        return Read(stream, path, expectation);
    }

    /// <summary>Reads an IDX array, raw or gzip-compressed, from <paramref name="stream"/> to its end.</summary>
    /// <param name="stream">The stream, positioned at the start of the IDX data; it is not disposed.</param>
    /// <param name="name">The file name used in error messages.</param>
    /// <returns>The array the stream holds.</returns>
    /// <exception cref="SharpGradFormatException">The contents are not a valid IDX array; the message names <paramref name="name"/>.</exception>
    /// <exception cref="IOException">The stream could not be read.</exception>
    public static IdxArray Read(Stream stream, string name) => Read(stream, name, expectation: null);

    /// <summary>Reads an IDX array, raw or gzip-compressed, that must hold what <paramref name="expectation"/> says.</summary>
    /// <param name="stream">The stream, positioned at the start of the IDX data; it is not disposed.</param>
    /// <param name="name">The file name used in error messages.</param>
    /// <param name="expectation">The element type and number of dimensions required, or null for any.</param>
    /// <returns>The array the stream holds.</returns>
    /// <exception cref="SharpGradFormatException">The contents are not a valid IDX array, or not the expected one; the message names <paramref name="name"/>.</exception>
    /// <exception cref="IOException">The stream could not be read.</exception>
    public static IdxArray Read(Stream stream, string name, IdxExpectation? expectation)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(name);
        byte[] magic = new byte[4];
        int got = ReadFully(stream, magic, name);
        if (got >= 2 && magic[0] == 0x1F && magic[1] == 0x8B)
        {
            using var gzip = new GzipReadStream(new PrefixedStream(magic[..got], stream));
            return ReadIdx(gzip, name, expectation);
        }

        return ReadIdx(new PrefixedStream(magic[..got], stream), name, expectation, remaining: RemainingLength(stream, got));
    }

    /// <summary>The size in bytes of one element of <paramref name="dataType"/>.</summary>
    /// <param name="dataType">An IDX element type.</param>
    /// <returns>1, 2, 4 or 8.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dataType"/> is not a defined IDX type.</exception>
    public static int ElementSize(IdxDataType dataType) => dataType switch
    {
        IdxDataType.UnsignedByte or IdxDataType.SignedByte => 1,
        IdxDataType.Int16 => 2,
        IdxDataType.Int32 or IdxDataType.Float32 => 4,
        IdxDataType.Float64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(dataType), dataType, "Not an IDX data type."),
    };

    private static IdxArray ReadIdx(Stream stream, string name, IdxExpectation? expectation, long? remaining = null)
    {
        string holds = stream is GzipReadStream ? "the decompressed file holds" : "the file holds";
        var magic = new byte[4];
        int got = ReadFully(stream, magic, name);
        if (got < 4)
        {
            throw Failure(stream, name, $"the file is {got} bytes long, too short for the 4-byte IDX magic number");
        }

        if (magic[0] != 0 || magic[1] != 0)
        {
            throw new SharpGradFormatException(
                name, $"not an IDX file: it starts with {Convert.ToHexString(magic)}, but IDX files start with two zero bytes");
        }

        var dataType = (IdxDataType)magic[2];
        if (!Enum.IsDefined(dataType))
        {
            throw new SharpGradFormatException(
                name, $"unknown IDX type code 0x{magic[2]:X2} (known: 08, 09, 0B, 0C, 0D, 0E)");
        }

        int rank = magic[3];
        if (rank == 0)
        {
            throw new SharpGradFormatException(name, "the IDX header declares 0 dimensions");
        }

        if (expectation?.Mismatch(dataType, rank) is { } mismatch)
        {
            throw new SharpGradFormatException(name, mismatch);
        }

        var header = new byte[rank * 4];
        got = ReadFully(stream, header, name);
        if (got < header.Length)
        {
            throw Failure(
                stream, name, $"the header declares {rank} dimensions, which need {header.Length} bytes after the magic number, but {holds} only {got}");
        }

        var dimensions = new int[rank];
        long length = 1;
        int elementSize = ElementSize(dataType);
        for (int i = 0; i < rank; i++)
        {
            uint dimension = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(i * 4));
            if (dimension == 0)
            {
                throw new SharpGradFormatException(name, $"dimension {i} is 0; every IDX dimension must be at least 1");
            }

            if (dimension > int.MaxValue)
            {
                throw new SharpGradFormatException(name, $"dimension {i} is {dimension}, too large: an IDX dimension can be at most {int.MaxValue}");
            }

            dimensions[i] = (int)dimension;

            // Both factors are below 2^31, so the long product cannot overflow before this check.
            length *= dimensions[i];
            if (length * elementSize > MaxDataBytes)
            {
                throw new SharpGradFormatException(
                    name, $"the header declares {Describe(DeclaredDimensions(header, rank), dataType)}, more than the limit of {MaxDataBytes} bytes");
            }
        }

        long expected = length * elementSize;
        string declared = $"declared {Describe(dimensions, dataType)} need {expected} bytes of data";
        long headerBytes = 4 + header.Length;
        if (remaining is { } total && total - headerBytes != expected)
        {
            string problem = total - headerBytes < expected
                ? $"{holds} only {total - headerBytes} after the {headerBytes}-byte header"
                : $"{holds} {total - headerBytes - expected} trailing bytes after them";
            throw new SharpGradFormatException(name, $"{declared} but {problem}");
        }

        byte[] data = ReadData(stream, expected, name, out long present);
        if (present != expected)
        {
            throw Failure(stream, name, $"{declared} but {holds} only {present} after the {headerBytes}-byte header");
        }

        if (ReadFully(stream, new byte[1], name) != 0)
        {
            throw Failure(stream, name, $"{declared} but {holds} trailing bytes after them");
        }

        return new IdxArray(dataType, dimensions, data);
    }

    // For gzip input, damaged data explains a size mismatch better than the header does. Decompress what is left (at
    // most MaxDataBytes more, so a small file cannot keep us busy for long): zlib then checks the trailer's CRC-32 and
    // length, and ReadFully reports a mismatch as corrupt data. A stream cut short has no trailer to check.
    private static SharpGradFormatException Failure(Stream stream, string name, string problem)
    {
        if (stream is GzipReadStream gzip)
        {
            var buffer = new byte[1 << 16];
            long limit = gzip.DecompressedLength + MaxDataBytes;
            while (ReadFully(gzip, buffer, name) > 0)
            {
                if (gzip.DecompressedLength > limit)
                {
                    return new SharpGradFormatException(name, problem);
                }
            }

            if (!gzip.EndsInTrailer())
            {
                return new SharpGradFormatException(
                    name, $"truncated or corrupt gzip data: the stream ends without a gzip trailer for the {gzip.DecompressedLength} bytes it decompresses to ({problem})");
            }
        }

        return new SharpGradFormatException(name, problem);
    }

    // Grows the buffer geometrically as bytes actually arrive, never beyond the declared length.
    private static byte[] ReadData(Stream stream, long expected, string name, out long present)
    {
        var buffer = new byte[(int)Math.Min(expected, FirstChunkBytes)];
        int filled = 0;
        while (true)
        {
            int n = ReadFully(stream, buffer.AsSpan(filled), name);
            filled += n;
            if (filled < buffer.Length || filled == expected)
            {
                present = filled;
                return buffer;
            }

            Array.Resize(ref buffer, (int)Math.Min(expected, 2L * buffer.Length));
        }
    }

    // Reads until the span is full or the stream ends; turns gzip decoding errors into format errors.
    private static int ReadFully(Stream stream, Span<byte> destination, string name)
    {
        try
        {
            int total = 0;
            while (total < destination.Length)
            {
                int n = stream.Read(destination[total..]);
                if (n == 0)
                {
                    break;
                }

                total += n;
            }

            return total;
        }
        catch (InvalidDataException e)
        {
            // zlib's CRC-32 and length checks of the gzip trailer also end up here, with .NET's misleading
            // "unsupported compression method" text (kept only as the inner exception), so the message says what it can mean.
            throw new SharpGradFormatException(name, "corrupt gzip data: it does not decompress, or fails its CRC-32 or length check", e);
        }
    }

    private static long? RemainingLength(Stream stream, int alreadyRead)
    {
        try
        {
            return stream.CanSeek ? stream.Length - stream.Position + alreadyRead : null;
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }

    private static long[] DeclaredDimensions(byte[] header, int rank)
    {
        var result = new long[rank];
        for (int i = 0; i < rank; i++)
        {
            result[i] = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(i * 4));
        }

        return result;
    }

    private static string Describe<T>(IEnumerable<T> dimensions, IdxDataType dataType) =>
        $"{string.Join("×", dimensions)} elements of type {dataType}";
}
