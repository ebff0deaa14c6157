using System.IO.Compression;
using SharpGrad.Tests.Toolkit;

namespace SharpGrad.Tests.Data;

/// <summary>Helpers for the data tests: the repository's sample folder (and a copy of it in a temp folder), hand-built IDX bytes.</summary>
internal static class DataTestFiles
{
    public static readonly string[] MnistFileNames =
    [
        "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz",
    ];

    /// <summary>The repository's data/mnist-sample.</summary>
    public static string SampleDirectory => Repository.PathOf("data", "mnist-sample");

    /// <summary>An IDX file written byte by byte: magic 00 00 type rank, big-endian dimensions, then <paramref name="data"/> as given.</summary>
    public static byte[] Idx(byte typeCode, int[] dimensions, byte[] data)
    {
        var bytes = new List<byte> { 0, 0, typeCode, (byte)dimensions.Length };
        foreach (int d in dimensions)
        {
            bytes.AddRange([(byte)(d >> 24), (byte)(d >> 16), (byte)(d >> 8), (byte)d]);
        }

        bytes.AddRange(data);
        return [.. bytes];
    }

    public static byte[] Gzip(byte[] raw)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(raw);
        }

        return output.ToArray();
    }

    /// <summary>A temporary folder holding a copy of the four sample files, so a test can replace one of them.</summary>
    public static TempDirectory SampleCopy()
    {
        var temp = new TempDirectory("sharpgrad-data-");
        try
        {
            foreach (string name in MnistFileNames)
            {
                File.Copy(Path.Combine(SampleDirectory, name), temp.PathOf(name));
            }

            return temp;
        }
        catch
        {
            temp.Dispose();
            throw;
        }
    }

    public static byte[] Gunzip(string path)
    {
        using var input = File.OpenRead(path);
        using var gzip = new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        gzip.CopyTo(output);
        return output.ToArray();
    }
}

/// <summary>Wraps a stream and hides its length, like a network or pipe stream.</summary>
internal sealed class NonSeekableStream(Stream inner) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
