using System.Text;
using SharpGrad.IO;
using SharpGrad.Tests.Toolkit;
using static SharpGrad.Tests.Interop.NpyTestFiles;

namespace SharpGrad.Tests.Interop;

public sealed class NpyTests : IDisposable
{
    private readonly TempDirectory _temp = new("sharpgrad-npy-");

    public void Dispose() => _temp.Dispose();

    [LinuxFact]
    public async Task Read_FromAFifo_ReadsItToItsEnd()
    {
        // Npy.Read asked the pipe for its length: NotSupportedException "Stream does not support seeking.".
        string fifo = _temp.PathOf("pipe.npy");
        Shell.Run("mkfifo", fifo);
        var bytes = new MemoryStream();
        Npy.Write(bytes, Tensor.FromArray([1.5, -2.0, 4.0], 3));
        var writer = Task.Run(() => File.WriteAllBytes(fifo, bytes.ToArray()));
        var tensor = await Task.Run(() => Npy.Read(fifo)).WaitAsync(FifoGuard.Bound);
        await writer.WaitAsync(FifoGuard.Bound);
        Assert.Equal([3], tensor.ShapeArray());
        Assert.Equal([1.5, -2.0, 4.0], tensor.ToDoubleArray());
    }

    [Fact]
    public void Read_OfAFolder_SaysItIsAFolder()
    {
        // .NET's own error was "Access to the path '…' is denied.", as if it were a permission problem.
        string folder = _temp.PathOf("arrays.npy");
        Directory.CreateDirectory(folder);
        var e = Assert.Throws<SharpGradFormatException>(() => Npy.Read(folder));
        Assert.Equal($"{folder}: this is a folder, not an NPY file", e.Message);
    }

    [Fact]
    public void Read_Version1_LittleEndianFloat32_2x3()
    {
        var bytes = NpyTestFiles.Bytes(1, 0, F4Dict23, F4OneToSix);
        Assert.Equal(128 + 24, bytes.Length); // NumPy pads this header to 118 bytes ('v\0' as the length field)
        Assert.Equal(new byte[] { 0x76, 0x00 }, bytes[8..10]);

        var t = Npy.Read(_temp.Write("a.npy", bytes));

        Assert.Equal(DType.Float32, t.DType);
        Assert.Equal([2, 3], t.ShapeArray());
        Assert.Equal([1f, 2, 3, 4, 5, 6], t.ToFloatArray());
    }

    [Fact]
    public void Write_ProducesNumPysExactBytes_ForFloat32_2x3()
    {
        var path = _temp.PathOf("w.npy");
        Npy.Write(path, Tensor.FromArray(new float[] { 1, 2, 3, 4, 5, 6 }, 2, 3));

        Assert.Equal(NpyTestFiles.Bytes(1, 0, F4Dict23, F4OneToSix), File.ReadAllBytes(path));
        Assert.Empty(Directory.GetFiles(_temp.Path, "*.tmp"));
    }

    [Fact]
    public void Read_Version2Header_Float32()
    {
        var bytes = NpyTestFiles.Bytes(2, 0, F4Dict23, F4OneToSix);
        Assert.Equal(new byte[] { 0x74, 0, 0, 0 }, bytes[8..12]); // 12-byte preamble: header padded to 116

        var t = Npy.Read(_temp.Write("v2.npy", bytes));

        Assert.Equal([2, 3], t.ShapeArray());
        Assert.Equal([1f, 2, 3, 4, 5, 6], t.ToFloatArray());
    }

    [Fact]
    public void Read_Version3Header_IsUtf8()
    {
        var t = Npy.Read(_temp.Write("v3.npy", NpyTestFiles.Bytes(3, 0, F4Dict23, F4OneToSix)));

        Assert.Equal([1f, 2, 3, 4, 5, 6], t.ToFloatArray());
    }

    [Fact]
    public void Read_BigEndianFloat64()
    {
        // 1.5 = 0x3FF8000000000000, -2 = 0xC000000000000000, 0.25 = 0x3FD0000000000000, most significant byte first.
        byte[] data =
        [
            0x3F, 0xF8, 0, 0, 0, 0, 0, 0,
            0xC0, 0x00, 0, 0, 0, 0, 0, 0,
            0x3F, 0xD0, 0, 0, 0, 0, 0, 0,
        ];
        var t = Npy.Read(_temp.Write("be.npy", NpyTestFiles.Bytes(1, 0, "{'descr': '>f8', 'fortran_order': False, 'shape': (3,), }", data)));

        Assert.Equal(DType.Float64, t.DType);
        Assert.Equal([3], t.ShapeArray());
        Assert.Equal([1.5, -2, 0.25], t.ToDoubleArray());
    }

    [Fact]
    public void Read_BigEndianFloat32()
    {
        byte[] data = [0x3F, 0x80, 0, 0, 0xC0, 0x40, 0, 0]; // 1, -3
        var t = Npy.Read(_temp.Write("be4.npy", NpyTestFiles.Bytes(1, 0, "{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", data)));

        Assert.Equal([1f, -3], t.ToFloatArray());
    }

    [Fact]
    public void Read_FortranOrder_TransposesIntoRowMajor()
    {
        // [[1, 2, 3], [4, 5, 6]] column by column: 1, 4, 2, 5, 3, 6.
        byte[] data = [.. new[] { 0, 3, 1, 4, 2, 5 }.SelectMany(i => F4OneToSix[(4 * i)..(4 * i + 4)])];
        var t = Npy.Read(_temp.Write("f.npy", NpyTestFiles.Bytes(1, 0, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", data)));

        Assert.Equal([2, 3], t.ShapeArray());
        Assert.Equal([1f, 2, 3, 4, 5, 6], t.ToFloatArray());
    }

    [Fact]
    public void Read_FortranOrder3D_MatchesIndexFormula()
    {
        // Element (i, j, k) = 100i + 10j + k sits at column-major offset i + 2j + 6k.
        var columnMajor = new double[24];
        for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) for (int k = 0; k < 4; k++) columnMajor[i + 2 * j + 6 * k] = 100 * i + 10 * j + k;
        var data = columnMajor.SelectMany(BitConverter.GetBytes).ToArray();
        var t = Npy.Read(_temp.Write("f3.npy", NpyTestFiles.Bytes(1, 0, "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3, 4), }", data)));

        for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) for (int k = 0; k < 4; k++) Assert.Equal(100 * i + 10 * j + k, t[i, j, k]);
    }

    [Fact]
    public void Read_AcceptsKeysInAnyOrder_PythonLongs_AndScalars()
    {
        var t = Npy.Read(_temp.Write("s.npy", NpyTestFiles.Bytes(1, 0, "{'shape': (), \"fortran_order\": False, 'descr': '<f8'}", BitConverter.GetBytes(2.5))));
        Assert.Equal(0, t.Rank);
        Assert.Equal(2.5, t.Item());

        var u = Npy.Read(_temp.Write("l.npy", NpyTestFiles.Bytes(1, 0, "{'descr': '<f4', 'fortran_order': False, 'shape': (2L, 3L), }", F4OneToSix)));
        Assert.Equal([2, 3], u.ShapeArray());
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void WriteThenRead_RoundTripsValuesShapeAndType(DType dtype)
    {
        var original = Tensor.RandomNormal(new Generator(7), 0, 1, dtype, 3, 1, 4, 5);
        var path = _temp.PathOf("r.npy");
        Npy.Write(path, original);

        var back = Npy.Read(path);

        Assert.Equal(dtype, back.DType);
        Assert.Equal(original.ShapeArray(), back.ShapeArray());
        Assert.Equal(original.ToDoubleArray(), back.ToDoubleArray());
    }

    [Fact]
    public void Write_ReplacesAnExistingFile()
    {
        var path = _temp.Write("x.npy", [1, 2, 3]);
        Npy.Write(path, Tensor.FromArray(new double[] { 4 }));
        Assert.Equal([4.0], Npy.Read(path).ToDoubleArray());
    }

    public static TheoryData<string, byte[], string> Malformed()
    {
        var good = NpyTestFiles.Bytes(1, 0, F4Dict23, F4OneToSix);
        var badMagic = (byte[])good.Clone(); badMagic[1] = (byte)'X';
        var badMajor = (byte[])good.Clone(); badMajor[6] = 4;
        var badMinor = (byte[])good.Clone(); badMinor[7] = 1;
        var longHeader = (byte[])good.Clone(); longHeader[8] = 0xFF; longHeader[9] = 0x7F;
        var hugeHeader = NpyTestFiles.Bytes(2, 0, F4Dict23, F4OneToSix); hugeHeader[10] = 1; hugeHeader[11] = 0; // 65652 bytes
        return new TheoryData<string, byte[], string>
        {
            { "bad magic", badMagic, "bad magic" },
            { "version 4.0", badMajor, "version 4.0" },
            { "version 1.1", badMinor, "version 1.1" },
            { "too short", good[..7], "too short" },
            { "header length beyond file", longHeader, "runs beyond the end of the file" },
            { "header over limit", [.. hugeHeader, .. new byte[70_000]], "exceeds" },
            { "unparsable dict", NpyTestFiles.Bytes(1, 0, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3)", F4OneToSix), "unparsable header" },
            { "not a dict", NpyTestFiles.Bytes(1, 0, "descr=<f4", F4OneToSix), "unparsable header" },
            { "missing shape", NpyTestFiles.Bytes(1, 0, "{'descr': '<f4', 'fortran_order': False, }", F4OneToSix), "no 'shape'" },
            { "unknown dtype", NpyTestFiles.Bytes(1, 0, "{'descr': '<i4', 'fortran_order': False, 'shape': (2, 3), }", F4OneToSix), "unsupported dtype '<i4'" },
            { "structured dtype", NpyTestFiles.Bytes(1, 0, "{'descr': [('x', '<f4')], 'fortran_order': False, 'shape': (6,), }", F4OneToSix), "unparsable header" },
            { "data too short", NpyTestFiles.Bytes(1, 0, F4Dict23, F4OneToSix[..20]), "needs 24 bytes of data but the file holds 20" },
            { "data too long", NpyTestFiles.Bytes(1, 0, F4Dict23, [.. F4OneToSix, 0, 0, 0, 0]), "needs 24 bytes of data but the file holds 28" },
            { "huge shape", NpyTestFiles.Bytes(1, 0, "{'descr': '<f8', 'fortran_order': False, 'shape': (100000, 100000, 100000), }", F4OneToSix), "more elements than" },
            { "shape beyond long", NpyTestFiles.Bytes(1, 0, "{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999,), }", F4OneToSix), "larger than" },
            { "negative dimension", NpyTestFiles.Bytes(1, 0, "{'descr': '<f4', 'fortran_order': False, 'shape': (-2, 3), }", F4OneToSix), "negative dimension" },
        };
    }

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Read_Throws_NamingFileAndProblem(string caseName, byte[] bytes, string problem)
    {
        var path = _temp.Write(caseName.Replace(' ', '-') + ".npy", bytes);

        var e = Assert.Throws<SharpGradFormatException>(() => Npy.Read(path));

        Assert.Equal(path, e.FilePath);
        Assert.StartsWith(path + ": ", e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void HeaderWriter_PadsToMultipleOf64_AndEndsWithNewline()
    {
        for (int rank = 0; rank < 8; rank++)
        {
            var path = _temp.PathOf($"p{rank}.npy");
            Npy.Write(path, Tensor.Zeros(DType.Float64, Enumerable.Repeat(1, rank).ToArray()));
            var bytes = File.ReadAllBytes(path);
            int headerLength = bytes[8] | bytes[9] << 8;
            Assert.Equal(0, (10 + headerLength) % 64);
            Assert.Equal((byte)'\n', bytes[10 + headerLength - 1]);
            Assert.Contains("'shape': (" + string.Join(", ", Enumerable.Repeat("1", rank)) + (rank == 1 ? ",)" : ")"), Encoding.Latin1.GetString(bytes, 10, headerLength));
        }
    }
}
