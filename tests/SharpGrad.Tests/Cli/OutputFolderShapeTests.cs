using SharpGrad.Cli.Export;
using SharpGrad.Cli.Train;
using SharpGrad.IO;
using SharpGrad.Tests.Calc;

namespace SharpGrad.Tests.Cli;

/// <summary>
/// Output file paths whose folder part is wrong in a way a user can fix: a part that is a FILE (<c>afile/m.onnx</c>)
/// is named as a file, where it used to be "the folder afile does not exist"; a name ending with '/' (<c>out/</c>)
/// names a folder, where it used to be looked for as a file in a folder "out" (and train said so only of
/// <c>out/.optimizer</c>).
/// </summary>
[Collection("KernelSettings")]
public sealed class OutputFolderShapeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpgrad-folder-shape-").FullName;

    public OutputFolderShapeTests() => File.WriteAllText(P("afile"), "x");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string P(string name) => Path.Combine(_dir, name);

    private string[] Entries() => [.. Directory.GetFileSystemEntries(_dir).Select(Path.GetFileName).Order()!];

    [Theory]
    [InlineData("afile/g.dot")]
    [InlineData("afile/deeper/g.dot")]
    public void AtomicFile_UnderAFile_NamesTheFile(string name)
    {
        string path = P(name);
        var e = Assert.Throws<IOException>(() => AtomicFile.WriteAllText(path, "x"));
        Assert.Equal($"{path}: cannot write: {P("afile")} is a file, not a folder.", e.Message);
    }

    [Fact]
    public void AtomicFile_NameEndingWithASeparator_IsRefusedAsAFolderName()
    {
        string path = P("out") + "/";
        var e = Assert.Throws<IOException>(() => AtomicFile.WriteAllText(path, "x"));
        Assert.Equal($"{path}: cannot write: the name ends with '/', so it names a folder, not a file.", e.Message);
        Assert.Equal(["afile"], Entries());
    }

    [Fact]
    public void Train_SaveUnderAFile_NamesTheFile()
    {
        string save = P("afile/m.safetensors");
        var (code, stdout, stderr) = CliRun.TrainSmall(new TrainOptions { SavePath = save });
        Assert.Equal(2, code);
        Assert.Equal($"sharpgrad train: --save {save}: {P("afile")} is a file, not a folder.", stderr.TrimEnd());
        Assert.Equal("", stdout);
    }

    [Fact]
    public void Train_SaveEndingWithASeparator_IsRefusedBeforeTraining()
    {
        string save = P("m.safetensors") + "/";
        var (code, stdout, stderr) = CliRun.TrainSmall(new TrainOptions { SavePath = save });
        Assert.Equal(2, code);
        Assert.Equal($"sharpgrad train: --save {save}: the name ends with '/', so it names a folder, not a file.", stderr.TrimEnd());
        Assert.Equal("", stdout);
        Assert.Equal(["afile"], Entries());
    }

    [Fact]
    public void Export_OnnxUnderAFileOrEndingWithASeparator_IsRefused()
    {
        foreach (var (onnx, problem) in new[] { (P("afile/m.onnx"), $"{P("afile")} is a file, not a folder."), (P("m.onnx") + "/", "the name ends with '/', so it names a folder, not a file.") })
        {
            var stderr = new StringWriter();
            Assert.Equal(2, ExportCommand.Run(P("m.safetensors"), onnx, null, false, new StringWriter(), stderr));
            Assert.Equal($"sharpgrad export: --onnx {onnx}: {problem}", stderr.ToString().TrimEnd());
        }
        Assert.Equal(["afile"], Entries());
    }

    [Fact]
    public void Calc_DotUnderAFileOrEndingWithASeparator_IsRefused()
    {
        foreach (var (dot, problem) in new[] { (P("afile/g.dot"), $"{P("afile")} is a file, not a folder."), (P("g.dot") + "/", "the name ends with '/', so it names a folder, not a file.") })
        {
            var run = CalcRun.Of("x*y", "x=2", "y=3", "--dot", dot);
            Assert.Equal(2, run.ExitCode);
            Assert.Contains(problem, run.Err);
            Assert.DoesNotContain("does not exist", run.Err);
        }
        Assert.Equal(["afile"], Entries());
    }
}
