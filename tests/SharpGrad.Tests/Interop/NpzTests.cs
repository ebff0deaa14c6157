using System.IO.Compression;
using SharpGrad.IO;
using SharpGrad.Tests.Toolkit;
using static SharpGrad.Tests.Interop.NpyTestFiles;

namespace SharpGrad.Tests.Interop;

public sealed class NpzTests : IDisposable
{
    private readonly TempDirectory _temp = new("sharpgrad-npy-");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Read_OfAFolder_SaysItIsAFolder()
    {
        // .NET's own error was "Access to the path '…' is denied.", as if it were a permission problem.
        string folder = _temp.PathOf("arrays.npz");
        Directory.CreateDirectory(folder);
        var e = Assert.Throws<SharpGradFormatException>(() => Npz.Read(folder));
        Assert.Equal($"{folder}: this is a folder, not an NPZ archive", e.Message);
    }

    [Theory]
    [InlineData(false, 0)] // numpy.savez: entries stored (zip method 0)
    [InlineData(true, 8)]  // numpy.savez_compressed: entries deflated (zip method 8)
    public void Write_StoresOrDeflates_AndRoundTrips(bool compress, int zipMethod)
    {
        var a = Tensor.FromArray(new float[] { 1, 2, 3, 4, 5, 6 }, 2, 3);
        var b = Tensor.RandomNormal(new Generator(3), 0, 1, DType.Float64, 50);
        var path = _temp.PathOf("arrays.npz");

        Npz.Write(path, [("a", a), ("b", b)], compress);

        var bytes = File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0x50, 0x4B, 0x03, 0x04 }, bytes[..4]); // a zip local file header
        Assert.Equal(zipMethod, bytes[8] | bytes[9] << 8);                  // its compression method field
        using (var zip = ZipFile.OpenRead(path))
        {
            Assert.Equal(["a.npy", "b.npy"], zip.Entries.Select(e => e.FullName));
            using var entry = new MemoryStream();
            using (var s = zip.GetEntry("a.npy")!.Open()) s.CopyTo(entry);
            Assert.Equal(NpyTestFiles.Bytes(1, 0, F4Dict23, F4OneToSix), entry.ToArray());
        }

        var back = Npz.Read(path);

        Assert.Equal(["a", "b"], back.Keys);
        Assert.Equal([2, 3], back["a"].ShapeArray());
        Assert.Equal(a.ToFloatArray(), back["a"].ToFloatArray());
        Assert.Equal(DType.Float64, back["b"].DType);
        Assert.Equal(b.ToDoubleArray(), back["b"].ToDoubleArray());
    }

    [Theory]
    [InlineData(CompressionLevel.NoCompression)]
    [InlineData(CompressionLevel.SmallestSize)]
    public void Read_ArchiveBuiltEntryByEntry_FromHandMadeNpyBytes(CompressionLevel level)
    {
        var path = _temp.PathOf("hand.npz");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            using (var s = zip.CreateEntry("W1.npy", level).Open()) s.Write(NpyTestFiles.Bytes(1, 0, F4Dict23, F4OneToSix));
            using (var s = zip.CreateEntry("notes.txt", level).Open()) s.Write("ignored"u8);
        }

        var arrays = Npz.Read(path);

        Assert.Equal(["W1"], arrays.Keys);
        Assert.Equal([1f, 2, 3, 4, 5, 6], arrays["W1"].ToFloatArray());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Read_OfAnArchiveWithNoNpyEntry_GivesNoArrays_AsNumPyDoes(bool withOtherEntry)
    {
        var path = _temp.PathOf("empty.npz");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
            if (withOtherEntry)
                using (var s = zip.CreateEntry("notes.txt").Open()) s.Write("not an array"u8);

        Assert.Empty(Npz.Read(path));
    }

    [Fact]
    public void Read_Throws_NamingArchiveAndEntry_WhenAnEntryIsMalformed()
    {
        var path = _temp.PathOf("bad.npz");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            using var s = zip.CreateEntry("W1.npy").Open();
            s.Write(NpyTestFiles.Bytes(1, 0, F4Dict23, F4OneToSix[..12]));
        }

        var e = Assert.Throws<SharpGradFormatException>(() => Npz.Read(path));

        Assert.Equal($"{path}/W1.npy", e.FilePath);
        Assert.Contains("needs 24 bytes of data but the file holds 12", e.Message);
    }

    [Fact]
    public void Read_Throws_WhenNotAZip()
    {
        var path = _temp.Write("plain.npz", NpyTestFiles.Bytes(1, 0, F4Dict23, F4OneToSix));

        var e = Assert.Throws<SharpGradFormatException>(() => Npz.Read(path));

        Assert.Equal(path, e.FilePath);
        Assert.Contains("not a zip archive", e.Message);
    }

    [Fact]
    public void Write_RefusesRepeatedNames_AndLeavesNoFile()
    {
        var path = _temp.PathOf("dup.npz");
        var t = Tensor.Zeros(2);

        Assert.Throws<ArgumentException>(() => Npz.Write(path, [("x", t), ("x", t)]));
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Write_RefusesAnEmptyNameOrANullArray_NamingWhich_AndLeavesNoFile()
    {
        // .NET's own checks said "The value cannot be an empty string. (Parameter 'arrays')" and "Value cannot be null. (Parameter 'arrays')".
        var path = _temp.PathOf("unnamed.npz");
        var t = Tensor.Ones(2);
        var e = Assert.Throws<ArgumentException>(() => Npz.Write(path, [("a", t), ("", t)]));
        Assert.Equal("Array 1 has an empty name; each becomes the archive entry NAME.npy, so it needs one. (Parameter 'arrays')", e.Message);
        var n = Assert.Throws<ArgumentNullException>(() => Npz.Write(path, [("a", t), ("b", null!)]));
        Assert.Equal("The array named 'b' is null. (Parameter 'arrays')", n.Message);
        Assert.False(File.Exists(path));
    }
}
