using SharpGrad.Cli;
using SharpGrad.Cli.Train;
using SharpGrad.Tests.Toolkit;

namespace SharpGrad.Tests.Cli;

/// <summary>
/// The out-of-memory line fits the command it is printed for: it used to suggest train's --hidden, --batch-size and
/// --train-limit to eval and export too, which have no such options.
/// </summary>
[Collection("KernelSettings")]
public sealed class OutOfMemoryMessageTests : IDisposable
{
    private readonly TempDirectory _temp = new("sharpgrad-oom-");

    public void Dispose() => _temp.Dispose();

    private const string Train = "sharpgrad train: not enough memory for this job; try a smaller model (--hidden), --batch-size or --train-limit.";
    private const string Eval = "sharpgrad eval: not enough memory for the --model file and the test digits together; try a smaller test set (--data).";
    private const string Export = "sharpgrad export: not enough memory for the --model file and its ONNX graph together; export it on a machine with more memory.";

    [Theory]
    [InlineData("train", Train)]
    [InlineData("eval", Eval)]
    [InlineData("export", Export)]
    [InlineData("calc", "sharpgrad calc: not enough memory for this program; try a smaller program, or leave out --order 2 and --svg.")]
    [InlineData(null, "sharpgrad: not enough memory for this job.")]
    public void TheHint_NamesOnlyTheCommandsOwnOptions(string? command, string expected) =>
        Assert.Equal(expected, Messages.OutOfMemory(command));

    /// <summary>
    /// Runs the built command with the garbage collector's heap capped at 8 MiB, far below what the embedded digits
    /// (31 MB as floats) or a model of 9.5 MB need, so it runs out of memory within a second.
    /// </summary>
    private static (int Code, string Out, string Err) RunWithLittleMemory(params string[] arguments) =>
        Shell.RunSharpGrad("env", ["DOTNET_GCHeapHardLimit=0x800000", "dotnet", typeof(TrainCommand).Assembly.Location, .. arguments]);

    /// <summary>A model of one hidden layer of 3,000 (9.5 MB of weights), trained for one epoch on 100 digits.</summary>
    private string LargeModel()
    {
        string model = _temp.PathOf("m.safetensors");
        var (code, _, err) = CliRun.TrainSmall(new TrainOptions { SavePath = model, Hidden = [3000] });
        Assert.True(code == 0, err);
        return model;
    }

    [Fact]
    public void Train_OutOfMemory_SuggestsTrainsOptions()
    {
        var (code, stdout, stderr) = RunWithLittleMemory("train", "--epochs", "1", "--train-limit", "100", "--hidden", "4");
        Assert.Equal(1, code);
        Assert.Equal(Train, stderr.TrimEnd());
        Assert.Equal("", stdout);
    }

    [Fact]
    public void Eval_OutOfMemory_SuggestsEvalsOwn()
    {
        string model = LargeModel();
        var (code, stdout, stderr) = RunWithLittleMemory("eval", "--model", model);
        Assert.Equal(1, code);
        Assert.Equal(Eval, stderr.TrimEnd());
        Assert.Equal("", stdout);
    }

    [Fact]
    public void Export_OutOfMemory_SuggestsNoTrainOptions_AndWritesNothing()
    {
        string model = LargeModel(), onnx = _temp.PathOf("m.onnx");
        var (code, stdout, stderr) = RunWithLittleMemory("export", "--model", model, "--onnx", onnx);
        Assert.Equal(1, code);
        Assert.Equal(Export, stderr.TrimEnd());
        Assert.Equal("", stdout);
        Assert.Equal(["m.safetensors", "m.safetensors.optimizer"], _temp.Entries()); // no ONNX file, no temporary one
    }
}
