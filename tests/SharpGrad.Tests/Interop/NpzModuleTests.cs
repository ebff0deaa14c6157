using SharpGrad.IO;
using SharpGrad.Nn;
using SharpGrad.Tests.Toolkit;

namespace SharpGrad.Tests.Interop;

public sealed class NpzModuleTests : IDisposable
{
    private readonly TempDirectory _temp = new("sharpgrad-npy-");

    public void Dispose() => _temp.Dispose();

    // Book-style NumPy parameters: y = relu(x·W1 + b1)·W2 + b2 with W1 [4, 3] and W2 [3, 2] ([in, out]).
    private static readonly double[,] W1 = { { 0.1, -0.2, 0.3 }, { 0.4, 0.5, -0.6 }, { -0.7, 0.8, 0.9 }, { 1.0, -1.1, 1.2 } };
    private static readonly double[] B1 = [0.01, -0.02, 0.03];
    private static readonly double[,] W2 = { { 0.5, -0.5 }, { 0.25, 0.75 }, { -1.0, 2.0 } };
    private static readonly double[] B2 = [0.1, -0.1];

    private static Sequential NewModel(DType dtype) =>
        new(new Linear(4, 3, new Generator(1), dtype: dtype), new ReLU(), new Linear(3, 2, new Generator(2), dtype: dtype));

    private string WriteBookParameters()
    {
        var path = _temp.PathOf("book.npz");
        Npz.Write(path, [("W1", Tensor.FromArray(W1)), ("b1", Tensor.FromArray(B1)), ("W2", Tensor.FromArray(W2)), ("b2", Tensor.FromArray(B2))]);
        return path;
    }

    /// <summary>The book's forward pass, written out with loops over the [in, out] matrices.</summary>
    private static double[] BookForward(double[] x)
    {
        var h = new double[3];
        for (int j = 0; j < 3; j++)
        {
            h[j] = B1[j];
            for (int i = 0; i < 4; i++) h[j] += x[i] * W1[i, j];
            h[j] = Math.Max(h[j], 0);
        }
        var y = new double[2];
        for (int k = 0; k < 2; k++)
        {
            y[k] = B2[k];
            for (int j = 0; j < 3; j++) y[k] += h[j] * W2[j, k];
        }
        return y;
    }

    [Theory]
    [InlineData(DType.Float64, 1e-12)]
    [InlineData(DType.Float32, 1e-6)]
    public void LoadNpz_BookLayout_GivesTheBooksForwardPass(DType dtype, double tolerance)
    {
        var model = NewModel(dtype);
        model.LoadNpz(WriteBookParameters(), NpzParameterOptions.NumPyBook(model));

        double[] x = [0.5, -1.5, 2.0, 0.25];
        var y = model.Forward(Tensor.FromArray(x, 1, 4).To(dtype)).ToDoubleArray();

        var expected = BookForward(x);
        for (int k = 0; k < 2; k++) Assert.Equal(expected[k], y[k], tolerance);
        Assert.Equal(W1[2, 1], ((Linear)model.Layers[0]).Weight[1, 2], tolerance); // stored [out, in]
    }

    [Fact]
    public void SaveNpz_BookLayout_WritesWAsInByOut_AndReloads()
    {
        var model = NewModel(DType.Float64);
        var options = NpzParameterOptions.NumPyBook(model);
        model.LoadNpz(WriteBookParameters(), options);
        var path = _temp.PathOf("saved.npz");

        model.SaveNpz(path, options, compress: true);

        var arrays = Npz.Read(path);
        Assert.Equal(["W1", "b1", "W2", "b2"], arrays.Keys);
        Assert.Equal([4, 3], arrays["W1"].ShapeArray());
        Assert.Equal(W1.Cast<double>(), arrays["W1"].ToDoubleArray());
        Assert.Equal(W2.Cast<double>(), arrays["W2"].ToDoubleArray());
        Assert.Equal(B2, arrays["b2"].ToDoubleArray());

        var copy = NewModel(DType.Float64);
        copy.LoadNpz(path, NpzParameterOptions.NumPyBook(copy));
        Assert.Equal(model.Parameters().SelectMany(p => p.ToDoubleArray()), copy.Parameters().SelectMany(p => p.ToDoubleArray()));
    }

    [Fact]
    public void SaveNpz_Default_UsesSharpGradNamesAndLayout()
    {
        var model = NewModel(DType.Float32);
        var path = _temp.PathOf("default.npz");

        model.SaveNpz(path);

        var arrays = Npz.Read(path);
        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias"], arrays.Keys);
        Assert.Equal([3, 4], arrays["0.weight"].ShapeArray());
        var copy = NewModel(DType.Float32);
        copy.LoadNpz(path);
        Assert.Equal(model.Parameters().SelectMany(p => p.ToFloatArray()), copy.Parameters().SelectMany(p => p.ToFloatArray()));
    }

    [Fact]
    public void LoadNpz_Throws_AndChangesNothing_WhenAnArrayIsMissingOrMisshaped()
    {
        var model = NewModel(DType.Float64);
        var before = model.Parameters().SelectMany(p => p.ToDoubleArray()).ToArray();
        var missing = _temp.PathOf("missing.npz");
        Npz.Write(missing, [("W1", Tensor.FromArray(W1)), ("b1", Tensor.FromArray(B1)), ("W2", Tensor.FromArray(W2))]);
        var misshaped = _temp.PathOf("misshaped.npz");
        Npz.Write(misshaped, [("W1", Tensor.FromArray(W2)), ("b1", Tensor.FromArray(B1)), ("W2", Tensor.FromArray(W2)), ("b2", Tensor.FromArray(B2))]);

        var e1 = Assert.Throws<SharpGradFormatException>(() => model.LoadNpz(missing, NpzParameterOptions.NumPyBook(model)));
        var e2 = Assert.Throws<SharpGradFormatException>(() => model.LoadNpz(misshaped, NpzParameterOptions.NumPyBook(model)));
        var e3 = Assert.Throws<SharpGradFormatException>(() => model.LoadNpz(WriteBookParameters()));

        Assert.Contains("no array 'b2' for 2.bias", e1.Message);
        Assert.Contains("'W1' has shape [2, 3] after transposing, but 0.weight has shape [3, 4]", e2.Message);
        Assert.Contains("no array '0.weight'", e3.Message);
        Assert.Equal(before, model.Parameters().SelectMany(p => p.ToDoubleArray()));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LoadNpz_OfAnArchiveWithNoArrays_SaysSo_NamingTheFile_AndChangesNothing(bool withOtherEntry)
    {
        var model = NewModel(DType.Float64);
        var before = model.Parameters().SelectMany(p => p.ToDoubleArray()).ToArray();
        var path = _temp.PathOf("empty.npz");
        if (!withOtherEntry) Npz.Write(path, []); // numpy.savez with no arrays: a zip with no entries
        else
        {
            using var zip = System.IO.Compression.ZipFile.Open(path, System.IO.Compression.ZipArchiveMode.Create);
            using var s = zip.CreateEntry("notes.txt").Open();
            s.Write("not an array"u8);
        }

        foreach (var options in new[] { null, NpzParameterOptions.NumPyBook(model), new NpzParameterOptions { RejectUnexpected = false } })
        {
            var e = Assert.Throws<SharpGradFormatException>(() => model.LoadNpz(path, options));
            // Two Linear layers: a weight and a bias each.
            Assert.Equal($"{path}: the archive holds no arrays (no .npy entries), so it has none of the model's 4 tensor(s) to load", e.Message);
        }
        Assert.Equal(before, model.Parameters().SelectMany(p => p.ToDoubleArray()));
    }

    [Fact]
    public void LoadNpz_OfAnArchiveWithNoArrays_IntoAModuleWithNoTensors_LoadsNothing_AndIsNoError()
    {
        var path = _temp.PathOf("empty.npz");
        Npz.Write(path, []);
        new Sequential(new Flatten(), new ReLU()).LoadNpz(path);
    }

    [Fact]
    public void LoadNpz_RejectsUnexpectedArrays_UnlessAllowed()
    {
        var model = NewModel(DType.Float64);
        var path = _temp.PathOf("extra.npz");
        Npz.Write(path, [("W1", Tensor.FromArray(W1)), ("b1", Tensor.FromArray(B1)), ("W2", Tensor.FromArray(W2)), ("b2", Tensor.FromArray(B2)), ("W3", Tensor.Zeros(1))]);
        var book = NpzParameterOptions.NumPyBook(model);

        var e = Assert.Throws<SharpGradFormatException>(() => model.LoadNpz(path, book));
        Assert.Contains("'W3', which matches no tensor", e.Message);

        model.LoadNpz(path, new NpzParameterOptions { NameMap = book.NameMap, TransposeLinearWeights = true, RejectUnexpected = false });
        Assert.Equal(B2, ((Linear)model.Layers[2]).Bias!.ToDoubleArray());
    }
}
