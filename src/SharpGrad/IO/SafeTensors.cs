using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace SharpGrad.IO;

/// <summary>The contents of a safetensors file: named tensors in header order, and the string metadata.</summary>
/// <param name="Tensors">The tensors, in the order the header lists them.</param>
/// <param name="Metadata">The <c>__metadata__</c> entries (empty when the file has none).</param>
public sealed record SafeTensorsFile(IReadOnlyList<(string Name, Tensor Tensor)> Tensors, IReadOnlyDictionary<string, string> Metadata)
{
    /// <summary>The tensors by name.</summary>
    /// <returns>A new dictionary.</returns>
    public Dictionary<string, Tensor> ToDictionary() => Tensors.ToDictionary(t => t.Name, t => t.Tensor, StringComparer.Ordinal);
}

/// <summary>
/// Reads and writes the safetensors format (https://github.com/huggingface/safetensors): an 8-byte little-endian
/// header length N; N bytes of UTF-8 JSON mapping each tensor name to
/// <c>{"dtype": "F32" | "F64", "shape": [...], "data_offsets": [begin, end]}</c> (offsets relative to the data
/// section), plus an optional <c>"__metadata__"</c> object of strings, padded with spaces to a multiple of 8; then the
/// tensors' raw little-endian bytes, contiguous, with no gaps or overlaps.
/// </summary>
public static class SafeTensors
{
    /// <summary>The largest header accepted when reading (100 MB, as in the reference implementation).</summary>
    public const long MaxHeaderLength = 100_000_000;

    private const string MetadataKey = "__metadata__";

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Writes tensors and metadata to <paramref name="path"/>, atomically: the bytes go to a temporary file in the
    /// same directory, flushed to disk, which then replaces <paramref name="path"/>; a crash leaves either the old
    /// file or the new one, never a partial file.
    /// </summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="tensors">The tensors, in the order to store them; names must be unique, non-empty and not "__metadata__".</param>
    /// <param name="metadata">String metadata stored under "__metadata__", or null for none.</param>
    /// <exception cref="ArgumentException">A name is empty, repeated or reserved.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Write(string path, IReadOnlyList<(string Name, Tensor Tensor)> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(tensors);
        var header = Header(tensors, metadata);
        AtomicFile.Write(path, stream =>
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
            stream.Write(length);
            stream.Write(header);
            foreach (var (_, tensor) in tensors) WriteData(stream, tensor);
        });
    }

    /// <summary>The header JSON, padded with spaces to a multiple of 8 bytes.</summary>
    private static byte[] Header(IReadOnlyList<(string Name, Tensor Tensor)> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            long offset = 0;
            foreach (var (name, tensor) in tensors)
            {
                if (string.IsNullOrEmpty(name) || name == MetadataKey)
                    throw new ArgumentException($"A tensor cannot be named '{name}'.", nameof(tensors));
                if (!seen.Add(name)) throw new ArgumentException($"The tensor name '{name}' appears twice.", nameof(tensors));
                long size = (long)tensor.Length * ElementSize(tensor.DType);
                json.WriteStartObject(name);
                json.WriteString("dtype", tensor.DType == DType.Float32 ? "F32" : "F64");
                json.WriteStartArray("shape");
                foreach (int d in tensor.Shape) json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + size);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += size;
            }
            if (metadata is not null)
            {
                json.WriteStartObject(MetadataKey);
                foreach (var (key, value) in metadata) json.WriteString(key, value);
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        int padded = (buffer.WrittenCount + 7) / 8 * 8;
        var header = new byte[padded];
        buffer.WrittenSpan.CopyTo(header);
        header.AsSpan(buffer.WrittenCount).Fill((byte)' ');
        return header;
    }

    private static int ElementSize(DType dtype) => dtype == DType.Float32 ? sizeof(float) : sizeof(double);

    private static void WriteData(Stream stream, Tensor tensor)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("safetensors files are little-endian; big-endian machines are not supported.");
        if (tensor.DType == DType.Float32) stream.Write(MemoryMarshal.AsBytes(tensor.F.AsSpan()));
        else stream.Write(MemoryMarshal.AsBytes(tensor.D.AsSpan()));
    }

    /// <summary>
    /// Reads a safetensors file, validating it completely before allocating any tensor: the header length against
    /// the file size, the JSON, every entry's dtype, shape and offsets (in range, sized shape × element size, covering
    /// the data section exactly with no gaps or overlaps), and the metadata's string values.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <returns>The tensors (float32 for F32, float64 for F64) and metadata.</returns>
    /// <exception cref="SharpGradFormatException">The file is malformed; the message names the file and the problem.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static SafeTensorsFile Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path)) throw new SharpGradFormatException(path, "this is a folder, not a safetensors file");
        using var stream = InputFile.OpenSeekable(path); // a pipe or FIFO is read into memory: the reader seeks
        return Read(stream, path);
    }

    /// <summary>Reads safetensors content from a stream; <paramref name="path"/> names it in error messages.</summary>
    /// <param name="stream">The content, positioned at its start; one that cannot seek is first read to its end into memory.</param>
    /// <param name="path">The name used in error messages.</param>
    /// <returns>The tensors and metadata.</returns>
    /// <exception cref="SharpGradFormatException">The content is malformed.</exception>
    public static SafeTensorsFile Read(Stream stream, string path)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek)
        {
            using var buffered = InputFile.Buffered(stream);
            return Read(buffered, path);
        }
        long fileLength = stream.Length - stream.Position;
        long start = stream.Position;
        if (fileLength < 8)
            throw new SharpGradFormatException(path, $"the file holds {fileLength} bytes, fewer than the 8-byte header length");
        Span<byte> lengthBytes = stackalloc byte[8];
        stream.ReadExactly(lengthBytes);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > (ulong)(fileLength - 8))
            throw new SharpGradFormatException(path, $"the header length {headerLength} exceeds the {fileLength - 8} bytes that follow it (is this a safetensors file?)");
        if (headerLength > MaxHeaderLength)
            throw new SharpGradFormatException(path, $"the header length {headerLength} exceeds the limit of {MaxHeaderLength} bytes");
        var header = new byte[headerLength];
        stream.ReadExactly(header);
        long dataStart = 8 + (long)headerLength, dataLength = fileLength - dataStart;
        var (entries, metadata) = ParseHeader(path, header, dataLength);

        var tensors = new List<(string, Tensor)>(entries.Count);
        foreach (var e in entries)
        {
            var tensor = Tensor.Zeros(e.DType, e.Shape);
            stream.Position = start + dataStart + e.Begin; // offsets were checked against the data section's length
            var bytes = tensor.DType == DType.Float32 ? MemoryMarshal.AsBytes(tensor.F.AsSpan()) : MemoryMarshal.AsBytes(tensor.D.AsSpan());
            stream.ReadExactly(bytes);
            if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("safetensors files are little-endian; big-endian machines are not supported.");
            tensors.Add((e.Name, tensor));
        }
        return new SafeTensorsFile(tensors, metadata);
    }

    private sealed record Entry(string Name, DType DType, int[] Shape, long Begin, long End);

    private static (List<Entry>, Dictionary<string, string>) ParseHeader(string path, byte[] header, long dataLength)
    {
        if (!System.Text.Unicode.Utf8.IsValid(header))
            throw new SharpGradFormatException(path, "the header is not valid UTF-8");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header);
        }
        catch (JsonException e)
        {
            throw new SharpGradFormatException(path, $"the header is not valid JSON ({e.Message})", e);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new SharpGradFormatException(path, $"the header is a JSON {document.RootElement.ValueKind}, not an object");
            var entries = new List<Entry>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!names.Add(property.Name))
                    throw new SharpGradFormatException(path, $"the header lists '{property.Name}' twice");
                if (property.Name == MetadataKey) ReadMetadata(path, property.Value, metadata);
                else entries.Add(ReadEntry(path, property.Name, property.Value, dataLength));
            }
            CheckCoverage(path, entries, dataLength);
            return (entries, metadata);
        }
    }

    private static void ReadMetadata(string path, JsonElement value, Dictionary<string, string> metadata)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw new SharpGradFormatException(path, $"__metadata__ is a JSON {value.ValueKind}, not an object of strings");
        foreach (var item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
                throw new SharpGradFormatException(path, $"__metadata__ entry '{item.Name}' is a JSON {item.Value.ValueKind}, not a string");
            metadata[item.Name] = item.Value.GetString()!;
        }
    }

    private static Entry ReadEntry(string path, string name, JsonElement value, long dataLength)
    {
        string Where(string problem) => $"tensor '{name}': {problem}";
        if (value.ValueKind != JsonValueKind.Object)
            throw new SharpGradFormatException(path, Where($"the entry is a JSON {value.ValueKind}, not an object"));
        foreach (var field in value.EnumerateObject())
            if (field.Name is not ("dtype" or "shape" or "data_offsets"))
                throw new SharpGradFormatException(path, Where($"unknown field '{field.Name}'"));
        if (!value.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
            throw new SharpGradFormatException(path, Where("'dtype' is missing or not a string"));
        string dtypeName = dtypeElement.GetString()!;
        DType dtype = dtypeName switch
        {
            "F32" => DType.Float32,
            "F64" => DType.Float64,
            "F16" or "BF16" or "F8_E4M3" or "F8_E5M2" or "I8" or "I16" or "I32" or "I64" or "U8" or "U16" or "U32" or "U64" or "BOOL" =>
                throw new SharpGradFormatException(path, Where($"dtype '{dtypeName}' is not supported (SharpGrad reads F32 and F64)")),
            _ => throw new SharpGradFormatException(path, Where($"unknown dtype '{dtypeName}'")),
        };
        var shape = IntegerArray(path, value, "shape", Where);
        var offsets = IntegerArray(path, value, "data_offsets", Where);
        if (offsets.Length != 2)
            throw new SharpGradFormatException(path, Where($"'data_offsets' has {offsets.Length} numbers, not 2"));
        long begin = offsets[0], end = offsets[1];
        if (begin > end)
            throw new SharpGradFormatException(path, Where($"data_offsets [{begin}, {end}] end before they begin"));
        if (end > dataLength)
            throw new SharpGradFormatException(path, Where($"data_offsets [{begin}, {end}] run past the {dataLength}-byte data section"));
        long count = 1;
        foreach (long d in shape)
        {
            if (d > int.MaxValue) throw new SharpGradFormatException(path, Where($"dimension {d} is too large"));
            count = d == 0 ? 0 : count > int.MaxValue / d ? long.MaxValue : count * d;
        }
        if (count > int.MaxValue)
            throw new SharpGradFormatException(path, Where($"shape [{string.Join(", ", shape)}] has more than {int.MaxValue} elements"));
        long expected = count * ElementSize(dtype);
        if (expected != end - begin)
            throw new SharpGradFormatException(path, Where($"shape [{string.Join(", ", shape)}] of {dtypeName} needs {expected} bytes, but data_offsets [{begin}, {end}] span {end - begin}"));
        return new Entry(name, dtype, shape.Select(d => (int)d).ToArray(), begin, end);
    }

    /// <summary>A JSON array of non-negative integers (each at most 2⁶² so sums cannot overflow).</summary>
    private static long[] IntegerArray(string path, JsonElement value, string field, Func<string, string> where)
    {
        if (!value.TryGetProperty(field, out var array) || array.ValueKind != JsonValueKind.Array)
            throw new SharpGradFormatException(path, where($"'{field}' is missing or not an array"));
        var result = new long[array.GetArrayLength()];
        int i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out long v) || v < 0 || v > (1L << 62))
                throw new SharpGradFormatException(path, where($"'{field}' holds {item.GetRawText()}, not a non-negative integer"));
            result[i++] = v;
        }
        return result;
    }

    /// <summary>The tensors' byte ranges, sorted, must tile [0, dataLength) exactly: no gaps, no overlaps, nothing after.</summary>
    private static void CheckCoverage(string path, List<Entry> entries, long dataLength)
    {
        long position = 0;
        foreach (var e in entries.OrderBy(e => e.Begin).ThenBy(e => e.End))
        {
            if (e.Begin < position)
                throw new SharpGradFormatException(path, $"tensor '{e.Name}' (bytes [{e.Begin}, {e.End})) overlaps the tensor before it, which ends at {position}");
            if (e.Begin > position)
                throw new SharpGradFormatException(path, $"bytes [{position}, {e.Begin}) of the data section belong to no tensor (a gap before '{e.Name}')");
            position = e.End;
        }
        if (position != dataLength)
            throw new SharpGradFormatException(path, $"the data section holds {dataLength} bytes but the tensors cover {position}");
    }
}
