using SharpGrad.Data;
using SharpGrad.IO;
using SharpGrad.Tests.Toolkit;
using static SharpGrad.Tests.Data.DataTestFiles;

namespace SharpGrad.Tests.Data;

public class IdxReaderTests
{
    // Expected values are the hand-decoded big-endian bytes, not output of BinaryPrimitives.
    [Theory]
    [InlineData((byte)0x08, new byte[] { 0x00, 0x7F, 0xFF }, new double[] { 0, 127, 255 })]
    [InlineData((byte)0x09, new byte[] { 0x00, 0x7F, 0x80 }, new double[] { 0, 127, -128 })]
    [InlineData((byte)0x0B, new byte[] { 0x01, 0x02, 0xFF, 0xFE, 0x80, 0x00 }, new double[] { 258, -2, -32768 })]
    [InlineData((byte)0x0C, new byte[] { 0x01, 0x02, 0x03, 0x04, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0xFF, 0xFF, 0xFF }, new double[] { 16909060, -1, 2147483647 })]
    [InlineData((byte)0x0D, new byte[] { 0x3F, 0xC0, 0, 0, 0xC1, 0x20, 0, 0, 0, 0, 0, 0 }, new double[] { 1.5, -10, 0 })]
    [InlineData((byte)0x0E, new byte[] { 0xBF, 0xD0, 0, 0, 0, 0, 0, 0, 0x40, 0x09, 0x21, 0xFB, 0x54, 0x44, 0x2D, 0x18, 0, 0, 0, 0, 0, 0, 0, 1 }, new double[] { -0.25, Math.PI, double.Epsilon })]
    public void Read_DecodesEachTypeCode_BigEndian(byte typeCode, byte[] data, double[] expected)
    {
        byte[] file = Idx(typeCode, [3], data);

        foreach (byte[] contents in new[] { file, Gzip(file) })
        {
            IdxArray array = IdxReader.Read(new MemoryStream(contents), "hand.idx");

            Assert.Equal((IdxDataType)typeCode, array.DataType);
            Assert.Equal([3], array.Dimensions);
            Assert.Equal(expected, array.ToDoubleArray());
            Assert.Equal(expected[2], array[2]);
            Assert.Equal(data, array.RawData.ToArray());
        }
    }

    [Fact]
    public void Read_KeepsDimensionsAndRowMajorOrder()
    {
        byte[] file = Idx(0x08, [2, 3, 1], [10, 11, 12, 20, 21, 22]);

        IdxArray array = IdxReader.Read(new MemoryStream(file), "matrix.idx");

        Assert.Equal([2, 3, 1], array.Dimensions);
        Assert.Equal(3, array.Rank);
        Assert.Equal(6, array.Length);
        Assert.Equal(21, array[4]);
        Assert.Equal([10, 11, 12, 20, 21, 22], array.ToInt32Array());
        Assert.Equal([10f, 11f, 12f, 20f, 21f, 22f], array.ToSingleArray());
    }

    [Fact]
    public void ToInt32Array_Throws_ForFloatData()
    {
        byte[] file = Idx(0x0D, [1], [0x3F, 0x80, 0, 0]);
        IdxArray array = IdxReader.Read(new MemoryStream(file), "float.idx");

        Assert.Equal([1f], array.ToSingleArray());
        Assert.Throws<InvalidOperationException>(() => array.ToInt32Array());
    }

    [Fact]
    public void Read_DetectsGzipByMagic_NotByExtension()
    {
        using var temp = new TempDirectory("sharpgrad-data-");
        string gzipNamedRaw = temp.Write("looks-raw.idx", Gzip(Idx(0x08, [2], [7, 9])));
        string rawNamedGzip = temp.Write("looks-compressed.gz", Idx(0x08, [2], [7, 9]));

        Assert.Equal([7.0, 9.0], IdxReader.Read(gzipNamedRaw).ToDoubleArray());
        Assert.Equal([7.0, 9.0], IdxReader.Read(rawNamedGzip).ToDoubleArray());
    }

    [Fact]
    public void Read_ReadsNonSeekableStreams()
    {
        byte[] file = Idx(0x0B, [2], [0x00, 0x05, 0xFF, 0xFB]);

        Assert.Equal([5.0, -5.0], IdxReader.Read(new NonSeekableStream(new MemoryStream(file)), "pipe").ToDoubleArray());
        Assert.Equal([5.0, -5.0], IdxReader.Read(new NonSeekableStream(new MemoryStream(Gzip(file))), "pipe.gz").ToDoubleArray());
    }

    public static TheoryData<string, byte[], string> BadFiles => new()
    {
        { "empty", [], "too short" },
        { "truncated magic", [0, 0, 8], "too short" },
        { "wrong magic", [0x50, 0x4B, 0x03, 0x04, 0, 0, 0, 1, 0], "not an IDX file" },
        { "bad type code", Idx(0x0A, [1], [0]), "unknown IDX type code 0x0A" },
        { "no dimensions", [0, 0, 8, 0], "0 dimensions" },
        { "truncated header", [0, 0, 8, 3, 0, 0, 0, 2, 0, 0], "need 12 bytes" },
        { "zero dimension", Idx(0x08, [2, 0], []), "dimension 1 is 0" },
        { "dimension over 2^31", Idx(0x08, [-5], []), "dimension 0 is 4294967291, too large: an IDX dimension can be at most 2147483647" },
        { "dimension 0xFFFFFFFF", Idx(0x08, [2, -1], []), "dimension 1 is 4294967295, too large: an IDX dimension can be at most 2147483647" },
        { "truncated data", Idx(0x0C, [2, 2], [0, 0, 0, 1, 0, 0]), "need 16 bytes of data but the file holds only 6" },
        { "trailing bytes", Idx(0x08, [2], [1, 2, 3]), "trailing bytes" },
        { "2e9 x 2e9 elements", Idx(0x08, [2_000_000_000, 2_000_000_000], []), "more than the limit" },
        { "2^31 bytes of float64", Idx(0x0E, [1 << 28], []), "more than the limit" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void Read_Throws_NamingTheFile_ForMalformedRawFiles(string name, byte[] contents, string problem)
    {
        using var temp = new TempDirectory("sharpgrad-data-");
        string path = temp.Write(name.Replace(' ', '_') + ".idx", contents);

        var fromPath = Assert.Throws<SharpGradFormatException>(() => IdxReader.Read(path));
        var fromPipe = Assert.Throws<SharpGradFormatException>(
            () => IdxReader.Read(new NonSeekableStream(new MemoryStream(contents)), "pipe.idx"));

        Assert.Equal(path, fromPath.FilePath);
        Assert.StartsWith(path + ": ", fromPath.Message, StringComparison.Ordinal);
        Assert.Contains(problem, fromPath.Message, StringComparison.Ordinal);
        Assert.StartsWith("pipe.idx: ", fromPipe.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void Read_Throws_NamingTheFile_ForMalformedGzippedFiles(string name, byte[] contents, string problem)
    {
        var e = Assert.Throws<SharpGradFormatException>(() => IdxReader.Read(new MemoryStream(Gzip(contents)), name + ".gz"));

        Assert.Equal(name + ".gz", e.FilePath);
        Assert.StartsWith(name + ".gz: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(problem.Replace("the file holds", "the decompressed file holds", StringComparison.Ordinal), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_Throws_ForCorruptGzip()
    {
        // A valid gzip header followed by a deflate block of the reserved type 3 (0xFF).
        byte[] corrupt = [0x1F, 0x8B, 0x08, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF];

        var e = Assert.Throws<SharpGradFormatException>(() => IdxReader.Read(new MemoryStream(corrupt), "broken.gz"));

        Assert.StartsWith("broken.gz: corrupt gzip data", e.Message, StringComparison.Ordinal);
        Assert.IsType<InvalidDataException>(e.InnerException);
    }

    [Fact]
    public void Read_Throws_ForGzipCutInHalf()
    {
        byte[] whole = Gzip(Idx(0x08, [1000], new byte[1000].Select((_, i) => (byte)(i * 7)).ToArray()));

        var e = Assert.Throws<SharpGradFormatException>(() => IdxReader.Read(new MemoryStream(whole[..(whole.Length / 2)]), "half.gz"));

        Assert.Equal("half.gz", e.FilePath);
        Assert.StartsWith("half.gz: truncated or corrupt gzip data: the stream ends without a gzip trailer for the ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_Throws_WhenTheGzipCrcDoesNotMatch_EvenThoughTheIdxDataFits()
    {
        byte[] file = Gzip(Idx(0x08, [3], [1, 2, 3]));
        file[^8] ^= 0x01; // the CRC-32's low byte; the data still inflates to a valid 9-byte IDX file

        var e = Assert.Throws<SharpGradFormatException>(() => IdxReader.Read(new MemoryStream(file), "flipped.gz"));

        Assert.StartsWith("flipped.gz: corrupt gzip data: it does not decompress, or fails its CRC-32 or length check", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("compression method", e.Message); // .NET's text for a failed trailer check misleads
        Assert.IsType<InvalidDataException>(e.InnerException);
    }

    [Fact]
    public void Read_Throws_ReportingTruncation_WhenOnlyTheGzipTrailerIsMissing_AndTheDataIsShort()
    {
        // The data section is cut at byte 4 of 8, and the stream ends without its trailer.
        byte[] file = Gzip(Idx(0x08, [8], [1, 2, 3, 4]));

        var e = Assert.Throws<SharpGradFormatException>(() => IdxReader.Read(new MemoryStream(file[..^8]), "cut.gz"));

        Assert.Equal(
            "cut.gz: truncated or corrupt gzip data: the stream ends without a gzip trailer for the 12 bytes it decompresses to " +
            "(declared 8 elements of type UnsignedByte need 8 bytes of data but the decompressed file holds only 4 after the 8-byte header)",
            e.Message);
    }

    [Fact]
    public void Read_ReadsConcatenatedGzipMembers_AsOneStream()
    {
        byte[] whole = Idx(0x08, [4], [1, 2, 3, 4]);
        byte[] joined = [.. Gzip(whole[..6]), .. Gzip(whole[6..])];

        Assert.Equal([1.0, 2.0, 3.0, 4.0], IdxReader.Read(new MemoryStream(joined), "joined.gz").ToDoubleArray());
    }

    [Fact]
    public void Read_DoesNotAllocateWhatALyingGzipHeaderDeclares()
    {
        // Declares 2,000,000,000 bytes (under the limit) but holds 100.
        byte[] lying = Gzip(Idx(0x08, [2_000_000_000], new byte[100]));
        long before = GC.GetAllocatedBytesForCurrentThread();

        var e = Assert.Throws<SharpGradFormatException>(() => IdxReader.Read(new MemoryStream(lying), "lying.gz"));

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains("need 2000000000 bytes of data but the decompressed file holds only 100", e.Message, StringComparison.Ordinal);
        Assert.True(allocated < 8 << 20, $"allocated {allocated} bytes");
    }
}
