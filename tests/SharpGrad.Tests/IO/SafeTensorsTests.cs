using System.Buffers.Binary;
using System.Collections;
using System.Text;
using SharpGrad.IO;
using SharpGrad.Tests.Toolkit;

namespace SharpGrad.Tests.IO;

/// <summary>The safetensors reader and writer against hand-built bytes, and every malformed-file case.</summary>
public sealed class SafeTensorsTests : IDisposable
{
    private readonly TempDirectory _temp = new("sharpgrad-st-");

    public void Dispose() => _temp.Dispose();

    private string PathOf(string name) => _temp.PathOf(name);

    /// <summary>
    /// The file for a = F32 [1, −2] and b = F64 [[0.5]] with metadata {"k": "v"}, written out by hand from the format
    /// description: the 135-byte header padded with one space to 136 = 17·8, then 8 + 8 data bytes.
    /// </summary>
    private static byte[] GoldenBytes()
    {
        const string json = """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F64","shape":[1,1],"data_offsets":[8,16]},"__metadata__":{"k":"v"}}""";
        Assert.Equal(135, json.Length);
        var bytes = new List<byte> { 136, 0, 0, 0, 0, 0, 0, 0 };           // header length 136, little-endian u64
        bytes.AddRange(Encoding.UTF8.GetBytes(json + " "));                 // padded to a multiple of 8 with a space
        bytes.AddRange(new byte[] { 0x00, 0x00, 0x80, 0x3F });              // 1.0f  = 0x3F800000
        bytes.AddRange(new byte[] { 0x00, 0x00, 0x00, 0xC0 });              // -2.0f = 0xC0000000
        bytes.AddRange(new byte[] { 0, 0, 0, 0, 0, 0, 0xE0, 0x3F });        // 0.5   = 0x3FE0000000000000
        return [.. bytes];
    }

    [Fact]
    public void Write_ProducesTheGoldenBytes()
    {
        var path = PathOf("golden.safetensors");
        SafeTensors.Write(path, [("a", Tensor.FromArray(new float[] { 1, -2 })), ("b", Tensor.FromArray(new double[] { 0.5 }, 1, 1))],
            new Dictionary<string, string> { ["k"] = "v" });
        Assert.Equal(GoldenBytes(), File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(_temp.Path)); // the temporary file was renamed, not left behind
    }

    [Fact]
    public void Read_DecodesTheGoldenBytes()
    {
        var path = PathOf("golden.safetensors");
        File.WriteAllBytes(path, GoldenBytes());
        var file = SafeTensors.Read(path);
        Assert.Equal(new[] { "a", "b" }, file.Tensors.Select(t => t.Name));
        var (a, b) = (file.Tensors[0].Tensor, file.Tensors[1].Tensor);
        Assert.Equal(DType.Float32, a.DType);
        Assert.Equal(new[] { 2 }, a.ShapeArray());
        Assert.Equal(new double[] { 1, -2 }, a.ToDoubleArray());
        Assert.Equal(DType.Float64, b.DType);
        Assert.Equal(new[] { 1, 1 }, b.ShapeArray());
        Assert.Equal(0.5, b[0, 0]);
        Assert.Equal("v", file.Metadata["k"]);
    }

    private static void AssertGoldenTensors(SafeTensorsFile file)
    {
        Assert.Equal(new[] { "a", "b" }, file.Tensors.Select(t => t.Name));
        Assert.Equal(new double[] { 1, -2 }, file.Tensors[0].Tensor.ToDoubleArray());
        Assert.Equal(0.5, file.Tensors[1].Tensor[0, 0]);
        Assert.Equal("v", file.Metadata["k"]);
    }

    [LinuxFact]
    public async Task Read_FromAFifo_ReadsItToItsEnd()
    {
        // A pipe (--model /dev/stdin, <(zcat m.gz)) has no length and cannot seek: the reader crashed with
        // NotSupportedException "Stream does not support seeking." (a stack trace from sharpgrad eval).
        string fifo = PathOf("pipe.safetensors");
        Shell.Run("mkfifo", fifo);
        var writer = Task.Run(() => File.WriteAllBytes(fifo, GoldenBytes()));
        var file = await Task.Run(() => SafeTensors.Read(fifo)).WaitAsync(FifoGuard.Bound);
        await writer.WaitAsync(FifoGuard.Bound);
        AssertGoldenTensors(file);
    }

    [Fact]
    public void Read_FromAStreamThatCannotSeek_ReadsItToItsEnd()
    {
        var compressed = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionMode.Compress, leaveOpen: true))
            gzip.Write(GoldenBytes());
        compressed.Position = 0;
        using var unseekable = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionMode.Decompress);
        Assert.False(unseekable.CanSeek);
        AssertGoldenTensors(SafeTensors.Read(unseekable, "golden.safetensors.gz"));
    }

    [Fact]
    public void Read_AcceptsAnyKeyOrder_AndEmptyTensors()
    {
        // Metadata first, entries listed out of offset order, a zero-element tensor and a scalar.
        var path = Build("""{"__metadata__":{},"s":{"dtype":"F64","shape":[],"data_offsets":[4,12]},"e":{"dtype":"F32","shape":[0,3],"data_offsets":[4,4]},"x":{"data_offsets":[0,4],"shape":[1],"dtype":"F32"}}""", 12);
        var file = SafeTensors.Read(path).ToDictionary();
        Assert.Equal(Array.Empty<int>(), file["s"].ShapeArray());
        Assert.Equal(new[] { 0, 3 }, file["e"].ShapeArray());
        Assert.Equal(new[] { 1 }, file["x"].ShapeArray());
    }

    [Fact]
    public void RoundTrip_IsBitIdentical()
    {
        var path = PathOf("rt.safetensors");
        var t32 = Tensor.FromArray(new[] { float.Epsilon, float.MaxValue, -0f, float.NaN, 1e-20f }, 5);
        var t64 = Tensor.RandomNormal(new Generator(3), 0, 1e5, DType.Float64, 3, 4, 2);
        SafeTensors.Write(path, [("first", t32), ("nested.name", t64)], new Dictionary<string, string> { ["ünïcode"] = "{\"json\": [1, 2]}" });
        var back = SafeTensors.Read(path);
        Assert.Equal(BitConverter.SingleToInt32Bits(-0f), BitConverter.SingleToInt32Bits(back.Tensors[0].Tensor.ToFloatArray()[2]));
        Assert.Equal(t32.ToFloatArray().Select(BitConverter.SingleToInt32Bits), back.Tensors[0].Tensor.ToFloatArray().Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(t64.ToDoubleArray(), back.Tensors[1].Tensor.ToDoubleArray());
        Assert.Equal("{\"json\": [1, 2]}", back.Metadata["ünïcode"]);
        Assert.Equal(0UL, BinaryPrimitives.ReadUInt64LittleEndian(File.ReadAllBytes(path)) % 8); // the header is padded to a multiple of 8
    }

    [Fact]
    public void Write_ReplacesAtomically_AndLeavesTheOldFileWhenWritingFails()
    {
        var path = PathOf("model.safetensors");
        SafeTensors.Write(path, [("w", Tensor.FromArray(new float[] { 1 }))]);
        var before = File.ReadAllBytes(path);
        Assert.Throws<InvalidOperationException>(() => SafeTensors.Write(path, new FailingSecondPass(("w", Tensor.FromArray(new float[] { 2, 3 })))));
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(new[] { path }, Directory.GetFiles(_temp.Path)); // no temporary file left over
        SafeTensors.Write(path, [("w", Tensor.FromArray(new float[] { 4, 5 }))]);
        Assert.Equal(new double[] { 4, 5 }, SafeTensors.Read(path).Tensors[0].Tensor.ToDoubleArray());
    }

    /// <summary>A list that can be enumerated once (for the header) and throws the second time (while writing data), like a crash mid-write.</summary>
    private sealed class FailingSecondPass((string, Tensor) item) : IReadOnlyList<(string Name, Tensor Tensor)>
    {
        private int _passes;
        public int Count => 1;
        public (string Name, Tensor Tensor) this[int index] => item;
        public IEnumerator<(string Name, Tensor Tensor)> GetEnumerator()
        {
            if (++_passes > 1) throw new InvalidOperationException("simulated crash while writing data");
            yield return item;
        }
        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }

    [Fact]
    public void Write_RejectsDuplicateAndReservedNames()
    {
        var t = Tensor.Zeros(1);
        Assert.Throws<ArgumentException>(() => SafeTensors.Write(PathOf("d"), [("x", t), ("x", t)]));
        Assert.Throws<ArgumentException>(() => SafeTensors.Write(PathOf("d"), [("__metadata__", t)]));
        Assert.Empty(Directory.GetFiles(_temp.Path));
    }

    /// <summary>Writes a file from a header (padded to a multiple of 8) and <paramref name="dataBytes"/> zero bytes of data.</summary>
    private string Build(string header, int dataBytes, ulong? declaredLength = null)
    {
        var json = Encoding.UTF8.GetBytes(header);
        int padded = (json.Length + 7) / 8 * 8;
        var bytes = new byte[8 + padded + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, declaredLength ?? (ulong)padded);
        json.CopyTo(bytes, 8);
        bytes.AsSpan(8 + json.Length, padded - json.Length).Fill((byte)' ');
        var path = PathOf($"bad-{Guid.NewGuid():N}.safetensors");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static void AssertRejects(string path, string problem)
    {
        var e = Assert.Throws<SharpGradFormatException>(() => SafeTensors.Read(path));
        Assert.StartsWith(path + ": ", e.Message);
        Assert.Contains(problem, e.Message);
        Assert.Equal(path, e.FilePath);
    }

    [Fact]
    public void Read_Throws_WhenFileIsShorterThanTheLengthField()
    {
        var path = PathOf("short");
        File.WriteAllBytes(path, [1, 2, 3]);
        AssertRejects(path, "fewer than the 8-byte header length");
    }

    [Fact]
    public void Load_Throws_WhenHeaderLengthExceedsFile() =>
        AssertRejects(Build("{}", 0, declaredLength: ulong.MaxValue), $"the header length {ulong.MaxValue} exceeds the 8 bytes that follow it");

    [Fact]
    public void Read_Throws_OnInvalidJson() => AssertRejects(Build("{\"a\": [1, 2", 0), "the header is not valid JSON");

    [Fact]
    public void Read_Throws_WhenHeaderIsNotAnObject() => AssertRejects(Build("[1]", 0), "the header is a JSON Array, not an object");

    [Theory]
    [InlineData("F17", "unknown dtype 'F17'")]
    [InlineData("F16", "dtype 'F16' is not supported")]
    [InlineData("I64", "dtype 'I64' is not supported")]
    public void Read_Throws_OnUnknownOrUnsupportedDType(string dtype, string problem) =>
        AssertRejects(Build($$$"""{"t":{"dtype":"{{{dtype}}}","shape":[1],"data_offsets":[0,8]}}""", 8), "tensor 't': " + problem);

    [Fact]
    public void Read_Throws_WhenShapeDisagreesWithOffsets() =>
        AssertRejects(Build("""{"t":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", 8), "shape [3] of F32 needs 12 bytes, but data_offsets [0, 8] span 8");

    [Fact]
    public void Read_Throws_WhenOffsetsRunPastTheData() =>
        AssertRejects(Build("""{"t":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}""", 8), "data_offsets [0, 16] run past the 8-byte data section");

    [Fact]
    public void Read_Throws_WhenOffsetsAreReversed() =>
        AssertRejects(Build("""{"t":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}}""", 8), "data_offsets [8, 0] end before they begin");

    [Fact]
    public void Read_Throws_WhenTensorsOverlap() =>
        AssertRejects(Build("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", 12), "overlaps");

    [Fact]
    public void Read_Throws_OnAGapBetweenTensors() =>
        AssertRejects(Build("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}""", 12), "bytes [4, 8) of the data section belong to no tensor");

    [Fact]
    public void Read_Throws_OnTrailingBytes() =>
        AssertRejects(Build("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", 8), "the data section holds 8 bytes but the tensors cover 4");

    [Fact]
    public void Read_Throws_OnHugeShapes_WithoutAllocating() =>
        AssertRejects(Build("""{"a":{"dtype":"F64","shape":[4611686018427387904,4],"data_offsets":[0,8]}}""", 8), "dimension 4611686018427387904 is too large");

    [Fact]
    public void Read_Throws_OnNegativeOrFractionalNumbers()
    {
        AssertRejects(Build("""{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}""", 4), "'shape' holds -1, not a non-negative integer");
        AssertRejects(Build("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4.5]}}""", 4), "'data_offsets' holds 4.5");
    }

    [Fact]
    public void Read_Throws_OnDuplicateNames() =>
        AssertRejects(Build("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8), "lists 'a' twice");

    [Fact]
    public void Read_Throws_OnNonStringMetadata() =>
        AssertRejects(Build("""{"__metadata__":{"n":3}}""", 0), "__metadata__ entry 'n' is a JSON Number, not a string");

    [Fact]
    public void Read_Throws_OnMissingFieldsAndUnknownFields()
    {
        AssertRejects(Build("""{"a":{"dtype":"F32","data_offsets":[0,4]}}""", 4), "'shape' is missing or not an array");
        AssertRejects(Build("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"extra":1}}""", 4), "unknown field 'extra'");
        AssertRejects(Build("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0]}}""", 4), "'data_offsets' has 1 numbers, not 2");
    }

    [Fact]
    public void ReadingAFolder_OrANonSafetensorsFile_SaysSo()
    {
        Assert.Contains("is a folder, not a safetensors file", Assert.Throws<SharpGradFormatException>(() => SafeTensors.Read(_temp.Path)).Message);
        string text = PathOf("notes.txt");
        File.WriteAllText(text, "these are not tensors, just some words");
        Assert.Contains("is this a safetensors file?", Assert.Throws<SharpGradFormatException>(() => SafeTensors.Read(text)).Message);
    }
}
