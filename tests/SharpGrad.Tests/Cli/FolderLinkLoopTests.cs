using SharpGrad.Cli.Export;
using SharpGrad.Cli.Train;
using SharpGrad.IO;
using SharpGrad.Tests.Calc;

namespace SharpGrad.Tests.Cli;

/// <summary>
/// An output path whose FOLDER part is a loop of symbolic links (<c>ln -s a a</c>, then <c>a/g.dot</c>) is refused
/// naming that folder as a loop: it used to be reported as "the folder … does not exist" by calc (and by AtomicFile),
/// and without the option's name by train and export.
/// </summary>
[Collection("KernelSettings")]
public sealed class FolderLinkLoopTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpgrad-folder-loop-").FullName;

    public FolderLinkLoopTests() => File.CreateSymbolicLink(P("a"), "a"); // ln -s a a

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string P(string name) => Path.Combine(_dir, name);

    private string FolderLoop(string path, string folder) => $"{path}: the folder {folder} is a loop of symbolic links (more than 40 links to follow).";

    [Fact]
    public void CanonicalPath_NamesTheFolderThatIsTheLoop_EvenInTheMiddleOfThePath()
    {
        Directory.CreateDirectory(P("d"));
        File.CreateSymbolicLink(P("d/b"), "b");
        string path = P("d/b/c/g.dot");
        var e = Assert.Throws<IOException>(() => CanonicalPath.Of(path));
        Assert.Equal(FolderLoop(path, P("d/b")), e.Message);
    }

    [Fact]
    public void CanonicalPath_OfALoopAsTheLastComponent_KeepsItsMessage()
    {
        var e = Assert.Throws<IOException>(() => CanonicalPath.Of(P("a")));
        Assert.Equal($"{P("a")}: too many levels of symbolic links to follow (more than 40, as in a loop of links).", e.Message);
    }

    [Fact]
    public void AtomicFile_IntoAFolderThatIsALoop_SaysSo()
    {
        string path = P("a/g.dot");
        var e = Assert.Throws<IOException>(() => AtomicFile.WriteAllText(path, "x"));
        Assert.Equal($"{path}: cannot write: the folder {P("a")} is a loop of symbolic links (more than 40 links to follow).", e.Message);
    }

    [Fact]
    public void Calc_DotAloneIntoAFolderThatIsALoop_SaysSo()
    {
        var run = CalcRun.Of("x*y", "x=2", "y=3", "--dot", P("a/g.dot"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"the folder {P("a")} is a loop of symbolic links", run.Err);
        Assert.DoesNotContain("does not exist", run.Err);
    }

    [Fact]
    public void Train_SaveIntoAFolderThatIsALoop_NamesTheOptionAndTheFolder()
    {
        string save = P("a/m.safetensors");
        var (code, stdout, stderr) = CliRun.TrainSmall(new TrainOptions { SavePath = save });
        Assert.Equal(2, code);
        Assert.Equal($"sharpgrad train: --save {FolderLoop(save, P("a"))}", stderr.TrimEnd());
        Assert.Equal("", stdout);
    }

    [Fact]
    public void Train_ReportInsideAFolderThatIsALoop_NamesTheOptionAndTheFolder()
    {
        string report = P("a/report");
        var (code, stdout, stderr) = CliRun.TrainSmall(new TrainOptions { ReportDirectory = report });
        Assert.Equal(2, code);
        Assert.Equal($"sharpgrad train: --report {FolderLoop(report, P("a"))}", stderr.TrimEnd());
        Assert.Equal("", stdout);
    }

    [Fact]
    public void Export_OnnxIntoAFolderThatIsALoop_NamesTheOptionAndTheFolder()
    {
        string onnx = P("a/m.onnx");
        var stderr = new StringWriter();
        Assert.Equal(2, ExportCommand.Run(P("m.safetensors"), onnx, null, false, new StringWriter(), stderr));
        Assert.Equal($"sharpgrad export: --onnx {FolderLoop(onnx, P("a"))}", stderr.ToString().TrimEnd());
    }
}
