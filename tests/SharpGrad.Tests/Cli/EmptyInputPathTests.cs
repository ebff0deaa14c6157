using SharpGrad.Cli.Eval;
using SharpGrad.Cli.Export;
using SharpGrad.Cli.Train;
using SharpGrad.Tests.Toolkit;

namespace SharpGrad.Tests.Cli;

/// <summary>
/// An empty path given to an option that reads (<c>--model ""</c>, <c>--data ""</c>, <c>--resume ""</c>) is named with
/// its option; it used to print only .NET's "The value cannot be an empty string.".
/// </summary>
[Collection("KernelSettings")]
public class EmptyInputPathTests : IDisposable
{
    private readonly TempDirectory _temp = new("sharpgrad-empty-input-");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Train_WithAnEmptyDataFolder_NamesTheOption()
    {
        CliRun.AssertTrainRefused(new TrainOptions { DataDirectory = "" }, "sharpgrad train: --data: the path is empty; give the folder that holds the MNIST files.");
    }

    [Fact]
    public void Train_ResumingFromAnEmptyPath_NamesTheOption()
    {
        CliRun.AssertTrainRefused(new TrainOptions { ResumePath = "" }, "sharpgrad train: --resume: the path is empty; give the file's name.");
    }

    [Fact]
    public void Eval_WithAnEmptyModelOrDataPath_NamesTheOption()
    {
        var stderr = new StringWriter();
        Assert.Equal(2, EvalCommand.Run("", null, new StringWriter(), stderr));
        Assert.Equal("sharpgrad eval: --model: the path is empty; give the file's name.", stderr.ToString().TrimEnd());

        string model = _temp.PathOf("m.safetensors");
        Assert.Equal(0, CliRun.TrainSmall(new TrainOptions { SavePath = model }).Code);
        stderr = new StringWriter();
        Assert.Equal(2, EvalCommand.Run(model, "", new StringWriter(), stderr));
        Assert.Equal("sharpgrad eval: --data: the path is empty; give the folder that holds the MNIST files.", stderr.ToString().TrimEnd());
    }

    [Fact]
    public void Export_FromAnEmptyModelPath_NamesTheOption()
    {
        var stderr = new StringWriter();
        Assert.Equal(2, ExportCommand.Run("", _temp.PathOf("m.onnx"), inputShape: null, softmax: false, new StringWriter(), stderr));
        Assert.Equal("sharpgrad export: --model: the path is empty; give the file's name.", stderr.ToString().TrimEnd());
        Assert.False(File.Exists(_temp.PathOf("m.onnx")));
    }
}
