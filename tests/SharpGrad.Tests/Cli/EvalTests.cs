using SharpGrad.Cli.Eval;
using SharpGrad.Cli.Train;
using SharpGrad.Tests.Data;
using SharpGrad.Tests.Toolkit;

namespace SharpGrad.Tests.Cli;

[Collection("KernelSettings")]
public class EvalTests : IDisposable
{
    private readonly TempDirectory _temp = new("sharpgrad-eval-");

    public void Dispose() => _temp.Dispose();

    private static string LastLine(StringWriter w) => w.ToString().TrimEnd().Split('\n')[^1].TrimEnd();

    [Fact]
    public void Eval_OfSavedModel_ReproducesTrainAccuracy_AndReportIsWritten()
    {
        string model = _temp.PathOf("m.safetensors"), report = _temp.PathOf("report");
        var train = new StringWriter();
        var options = new TrainOptions { Epochs = 1, TrainLimit = 300, BatchSize = 50, Hidden = [16], BatchNorm = true, SavePath = model, ReportDirectory = report };
        Assert.Equal(0, TrainCommand.Run(options, train, new StringWriter(), interactive: false));

        var eval = new StringWriter();
        Assert.Equal(0, EvalCommand.Run(model, null, eval, new StringWriter()));
        Assert.Equal(LastLine(train), LastLine(eval)); // same "test accuracy: 0.xxxx" from a fresh load (BatchNorm in eval mode)
        Assert.Contains("recall", eval.ToString());

        foreach (var f in new[] { "metrics.csv", "metrics.json", "curves.png", "curves.svg", "confusion.csv", "confusion.png" })
            Assert.True(File.Exists(Path.Combine(report, f)), f);
        // The confusion matrix counts every test digit exactly once.
        var rows = File.ReadAllLines(Path.Combine(report, "confusion.csv")).Skip(1)
            .Sum(line => line.Split(',').Skip(1).Sum(int.Parse));
        Assert.Equal(2000, rows);
    }

    [Fact]
    public void Eval_OfMissingModel_OrDataThatIsAFile_NamesTheOptionAndThePath()
    {
        string missing = _temp.PathOf("nope.safetensors");
        var stderr = new StringWriter();
        Assert.Equal(2, EvalCommand.Run(missing, null, new StringWriter(), stderr));
        Assert.Equal($"sharpgrad eval: --model {missing}: the file does not exist.", stderr.ToString().TrimEnd());

        string model = _temp.PathOf("m.safetensors"), file = _temp.PathOf("README.md");
        Assert.Equal(0, TrainCommand.Run(new TrainOptions { Epochs = 1, TrainLimit = 100, Hidden = [4], SavePath = model }, new StringWriter(), new StringWriter(), interactive: false));
        File.WriteAllText(file, "x");
        stderr = new StringWriter();
        Assert.Equal(2, EvalCommand.Run(model, file, new StringWriter(), stderr));
        Assert.Equal($"sharpgrad eval: --data {file}: is a file, not a folder; give the folder that holds the MNIST files.", stderr.ToString().TrimEnd());
    }

    [Fact]
    public void Eval_OnImagesOfAnotherSize_NamesTheModelFileAndTheSampleSize()
    {
        // A 784-input MLP on 10×10 test images: the message used to be the layer's alone
        // ("Linear(784 → 4): input of shape [1, 100] does not end in 784 features."), naming neither file nor data.
        string model = _temp.PathOf("m.safetensors"), data = _temp.PathOf("small");
        Assert.Equal(0, TrainCommand.Run(new TrainOptions { Epochs = 1, TrainLimit = 100, Hidden = [4], SavePath = model }, new StringWriter(), new StringWriter(), interactive: false));
        Directory.CreateDirectory(data);
        File.WriteAllBytes(Path.Combine(data, "t10k-images-idx3-ubyte"), DataTestFiles.Idx(0x08, [2, 10, 10], new byte[200]));
        File.WriteAllBytes(Path.Combine(data, "t10k-labels-idx1-ubyte"), DataTestFiles.Idx(0x08, [2], [3, 7]));
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        Assert.Equal(2, EvalCommand.Run(model, data, stdout, stderr));
        Assert.Equal($"sharpgrad eval: --model {model}: the saved model does not take the test data's samples of 100 values (Linear(784 → 4): input of shape [1, 100] does not end in 784 features.)", stderr.ToString().TrimEnd());
        Assert.Equal("", stdout.ToString());
    }

    [Fact]
    public void Eval_OfMissingOrForeignFile_GivesExitCode2NamingIt()
    {
        var stderr = new StringWriter();
        Assert.Equal(2, EvalCommand.Run(_temp.PathOf("nope.safetensors"), null, new StringWriter(), stderr));
        Assert.Contains("nope.safetensors", stderr.ToString());
        string text = _temp.PathOf("notes.txt");
        File.WriteAllText(text, "hello, not a model");
        stderr = new StringWriter();
        Assert.Equal(2, EvalCommand.Run(text, null, new StringWriter(), stderr));
        Assert.Contains("notes.txt", stderr.ToString());
    }
}

[Collection("KernelSettings")]
public class EvalTestOnlyDataTests : IDisposable
{
    private readonly TempDirectory _temp = new("sharpgrad-evaltest-");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Eval_WithFolderHoldingOnlyTestFiles_Works_AndMatchesEmbedded()
    {
        foreach (var f in new[] { "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz" })
            File.Copy(Path.Combine(DataTestFiles.SampleDirectory, f), _temp.PathOf(f));
        string model = _temp.PathOf("m.safetensors");
        Assert.Equal(0, SharpGrad.Cli.Train.TrainCommand.Run(new SharpGrad.Cli.Train.TrainOptions { Epochs = 1, TrainLimit = 200, Hidden = [8], SavePath = model }, new StringWriter(), new StringWriter(), interactive: false));
        var fromFolder = new StringWriter();
        var embedded = new StringWriter();
        Assert.Equal(0, SharpGrad.Cli.Eval.EvalCommand.Run(model, _temp.Path, fromFolder, new StringWriter()));
        Assert.Equal(0, SharpGrad.Cli.Eval.EvalCommand.Run(model, null, embedded, new StringWriter()));
        Assert.Equal(embedded.ToString().TrimEnd().Split('\n')[^1], fromFolder.ToString().TrimEnd().Split('\n')[^1]);
    }
}
