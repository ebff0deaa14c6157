using SharpGrad.Cli.Train;
using SharpGrad.IO;
using SharpGrad.Tests.Calc;
using SharpGrad.Tests.Toolkit;

namespace SharpGrad.Tests.Cli;

/// <summary>
/// An output path whose FOLDER part is a loop of symbolic links (<c>ln -s a a</c>, then <c>a/g.dot</c>) is refused
/// naming that folder as a loop: it used to be reported as "the folder … does not exist" by calc (and by AtomicFile),
/// and without the option's name by train and export.
/// </summary>
[Collection("KernelSettings")]
public sealed class FolderLinkLoopTests : IDisposable
{
    private readonly TempDirectory _temp = new("sharpgrad-folder-loop-");

    public FolderLinkLoopTests() => File.CreateSymbolicLink(_temp.PathOf("a"), "a"); // ln -s a a

    public void Dispose() => _temp.Dispose();

    private string FolderLoop(string path, string folder) => $"{path}: the folder {folder} is a loop of symbolic links (more than 40 links to follow).";

    [Fact]
    public void CanonicalPath_NamesTheFolderThatIsTheLoop_EvenInTheMiddleOfThePath()
    {
        Directory.CreateDirectory(_temp.PathOf("d"));
        File.CreateSymbolicLink(_temp.PathOf("d/b"), "b");
        string path = _temp.PathOf("d/b/c/g.dot");
        var e = Assert.Throws<IOException>(() => CanonicalPath.Of(path));
        Assert.Equal(FolderLoop(path, _temp.PathOf("d/b")), e.Message);
    }

    [Fact]
    public void CanonicalPath_OfALoopAsTheLastComponent_KeepsItsMessage()
    {
        var e = Assert.Throws<IOException>(() => CanonicalPath.Of(_temp.PathOf("a")));
        Assert.Equal($"{_temp.PathOf("a")}: too many levels of symbolic links to follow (more than 40, as in a loop of links).", e.Message);
    }

    [Fact]
    public void AtomicFile_IntoAFolderThatIsALoop_SaysSo()
    {
        string path = _temp.PathOf("a/g.dot");
        var e = Assert.Throws<IOException>(() => AtomicFile.WriteAllText(path, "x"));
        Assert.Equal($"{path}: cannot write: the folder {_temp.PathOf("a")} is a loop of symbolic links (more than 40 links to follow).", e.Message);
    }

    [Fact]
    public void Calc_DotAloneIntoAFolderThatIsALoop_SaysSo()
    {
        var run = CalcRun.Of("x*y", "x=2", "y=3", "--dot", _temp.PathOf("a/g.dot"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"the folder {_temp.PathOf("a")} is a loop of symbolic links", run.Err);
        Assert.DoesNotContain("does not exist", run.Err);
    }

    [Fact]
    public void Train_SaveIntoAFolderThatIsALoop_NamesTheOptionAndTheFolder()
    {
        string save = _temp.PathOf("a/m.safetensors");
        CliRun.AssertTrainRefused(new TrainOptions { SavePath = save }, $"sharpgrad train: --save {FolderLoop(save, _temp.PathOf("a"))}");
    }

    [Fact]
    public void Train_ReportInsideAFolderThatIsALoop_NamesTheOptionAndTheFolder()
    {
        string report = _temp.PathOf("a/report");
        CliRun.AssertTrainRefused(new TrainOptions { ReportDirectory = report }, $"sharpgrad train: --report {FolderLoop(report, _temp.PathOf("a"))}");
    }

    [Fact]
    public void Export_OnnxIntoAFolderThatIsALoop_NamesTheOptionAndTheFolder()
    {
        string onnx = _temp.PathOf("a/m.onnx");
        CliRun.AssertExportRefused(_temp.PathOf("m.safetensors"), onnx, $"sharpgrad export: --onnx {FolderLoop(onnx, _temp.PathOf("a"))}");
    }
}
