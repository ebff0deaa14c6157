using SharpGrad.Cli.Export;
using SharpGrad.Cli.Train;
using SharpGrad.IO;
using SharpGrad.Tests.Calc;
using SharpGrad.Tests.Cli;
using SharpGrad.Tests.Toolkit;

namespace SharpGrad.Tests.IO;

/// <summary>
/// A path through a loop of symbolic links cannot be written: AtomicFile and the commands' same-file checks follow
/// links with one resolver (<see cref="CanonicalPath"/>), which refuses the loop with an error naming the path.
/// </summary>
[Collection("KernelSettings")]
public sealed class LinkLoopTests : IDisposable
{
    private readonly TempDirectory _temp = new("sharpgrad-loop-");

    public LinkLoopTests()
    {
        File.CreateSymbolicLink(_temp.PathOf("a"), "b");
        File.CreateSymbolicLink(_temp.PathOf("b"), "a");
    }

    public void Dispose() => _temp.Dispose();

    private const string Loop = "too many levels of symbolic links to follow (more than 40, as in a loop of links).";

    /// <summary>The message for <paramref name="path"/> inside the folder a, which is the loop.</summary>
    private string InLoop(string path) => $"{path}: the folder {_temp.PathOf("a")} is a loop of symbolic links (more than 40 links to follow).";

    [Fact]
    public void AtomicFile_ThroughALinkLoop_NamesThePath()
    {
        var e = Assert.Throws<IOException>(() => AtomicFile.WriteAllText(_temp.PathOf("a"), "x"));
        Assert.Equal($"{_temp.PathOf("a")}: cannot write: {Loop}", e.Message);
    }

    [Fact]
    public void Calc_DotInALinkLoop_IsRefusedWithExitCode2()
    {
        var run = CalcRun.Of("x*y", "x=2", "y=3", "--dot", _temp.PathOf("a/g.dot"), "--svg", _temp.PathOf("g.svg"));
        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"calc: --dot {InLoop(_temp.PathOf("a/g.dot"))}", run.Err.TrimEnd());
        Assert.False(File.Exists(_temp.PathOf("g.svg")));
    }

    [Fact]
    public void Train_SaveInALinkLoop_IsRefusedBeforeTraining()
    {
        CliRun.AssertTrainRefused(new TrainOptions { SavePath = _temp.PathOf("a/m.safetensors") }, $"sharpgrad train: --save {InLoop(_temp.PathOf("a/m.safetensors"))}");
    }

    [Fact]
    public void Export_OnnxInALinkLoop_IsRefused()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        Assert.Equal(2, ExportCommand.Run(_temp.PathOf("m.safetensors"), _temp.PathOf("a/m.onnx"), null, false, stdout, stderr));
        Assert.Equal($"sharpgrad export: --onnx {InLoop(_temp.PathOf("a/m.onnx"))}", stderr.ToString().TrimEnd());
    }
}
