using SharpGrad.Cli.Train;
using SharpGrad.IO;
using SharpGrad.Tests.Calc;
using SharpGrad.Tests.Toolkit;

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
    private readonly TempDirectory _temp = new("sharpgrad-folder-shape-");

    public OutputFolderShapeTests() => File.WriteAllText(_temp.PathOf("afile"), "x");

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("afile/g.dot")]
    [InlineData("afile/deeper/g.dot")]
    public void AtomicFile_UnderAFile_NamesTheFile(string name)
    {
        string path = _temp.PathOf(name);
        var e = Assert.Throws<IOException>(() => AtomicFile.WriteAllText(path, "x"));
        Assert.Equal($"{path}: cannot write: {_temp.PathOf("afile")} is a file, not a folder.", e.Message);
    }

    [Fact]
    public void AtomicFile_NameEndingWithASeparator_IsRefusedAsAFolderName()
    {
        string path = _temp.PathOf("out") + "/";
        var e = Assert.Throws<IOException>(() => AtomicFile.WriteAllText(path, "x"));
        Assert.Equal($"{path}: cannot write: the name ends with '/', so it names a folder, not a file.", e.Message);
        Assert.Equal(["afile"], _temp.Entries());
    }

    [Fact]
    public void Train_SaveUnderAFile_NamesTheFile()
    {
        string save = _temp.PathOf("afile/m.safetensors");
        CliRun.AssertTrainRefused(new TrainOptions { SavePath = save }, $"sharpgrad train: --save {save}: {_temp.PathOf("afile")} is a file, not a folder.");
    }

    [Fact]
    public void Train_SaveEndingWithASeparator_IsRefusedBeforeTraining()
    {
        string save = _temp.PathOf("m.safetensors") + "/";
        CliRun.AssertTrainRefused(new TrainOptions { SavePath = save }, $"sharpgrad train: --save {save}: the name ends with '/', so it names a folder, not a file.");
        Assert.Equal(["afile"], _temp.Entries());
    }

    [Fact]
    public void Export_OnnxUnderAFileOrEndingWithASeparator_IsRefused()
    {
        foreach (var (onnx, problem) in new[] { (_temp.PathOf("afile/m.onnx"), $"{_temp.PathOf("afile")} is a file, not a folder."), (_temp.PathOf("m.onnx") + "/", "the name ends with '/', so it names a folder, not a file.") })
        {
            CliRun.AssertExportRefused(_temp.PathOf("m.safetensors"), onnx, $"sharpgrad export: --onnx {onnx}: {problem}");
        }
        Assert.Equal(["afile"], _temp.Entries());
    }

    [Fact]
    public void Calc_DotUnderAFileOrEndingWithASeparator_IsRefused()
    {
        foreach (var (dot, problem) in new[] { (_temp.PathOf("afile/g.dot"), $"{_temp.PathOf("afile")} is a file, not a folder."), (_temp.PathOf("g.dot") + "/", "the name ends with '/', so it names a folder, not a file.") })
        {
            var run = CalcRun.Of("x*y", "x=2", "y=3", "--dot", dot);
            Assert.Equal(2, run.ExitCode);
            Assert.Contains(problem, run.Err);
            Assert.DoesNotContain("does not exist", run.Err);
        }
        Assert.Equal(["afile"], _temp.Entries());
    }
}
