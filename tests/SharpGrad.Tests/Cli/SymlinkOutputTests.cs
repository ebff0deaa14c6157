using SharpGrad.Cli;
using SharpGrad.Cli.Export;
using SharpGrad.Cli.Train;
using SharpGrad.IO;
using SharpGrad.Nn;
using SharpGrad.Tests.Calc;
using SharpGrad.Tests.Toolkit;

namespace SharpGrad.Tests.Cli;

/// <summary>
/// Two outputs (or an input and an output) that are one file through a symbolic link are refused like two equal
/// paths: without that, the later write silently replaced the earlier file and the command still exited 0.
/// </summary>
[Collection("KernelSettings")]
public sealed class SymlinkOutputTests : IDisposable
{
    private readonly TempDirectory _temp = new("sharpgrad-links-");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void CanonicalPath_FollowsLinksInEveryComponent_DanglingOnesToo()
    {
        Directory.CreateDirectory(_temp.PathOf("real"));
        File.CreateSymbolicLink(_temp.PathOf("here"), "."); // a folder link in the middle of a path
        File.CreateSymbolicLink(_temp.PathOf("dangling.svg"), "real/later.dot"); // points at a file still to be written
        File.CreateSymbolicLink(_temp.PathOf("up"), "real/..");
        Assert.True(CanonicalPath.Same(_temp.PathOf("here/here/real/x"), _temp.PathOf("real/x")));
        Assert.True(CanonicalPath.Same(_temp.PathOf("dangling.svg"), _temp.PathOf("real/later.dot")));
        Assert.True(CanonicalPath.Same(_temp.PathOf("real/../here/real/later.dot"), _temp.PathOf("dangling.svg")));
        Assert.True(CanonicalPath.Same(_temp.PathOf("up/real"), _temp.PathOf("real")));
        Assert.False(CanonicalPath.Same(_temp.PathOf("real/a"), _temp.PathOf("real/b")));
    }

    [Fact]
    public void CanonicalPath_OfALinkLoop_IsRefusedInsteadOfRecursingForever()
    {
        File.CreateSymbolicLink(_temp.PathOf("a"), "b");
        File.CreateSymbolicLink(_temp.PathOf("b"), "a");
        var e = Assert.Throws<IOException>(() => CanonicalPath.Same(_temp.PathOf("a/x"), _temp.PathOf("c")));
        Assert.Contains(_temp.PathOf("a/x"), e.Message);
    }

    [Fact]
    public void Calc_DotAndSvg_ThatAreOneFileThroughALink_AreRefused_AndTheFileKeepsItsText()
    {
        string dot = _temp.PathOf("g.dot"), svg = _temp.PathOf("link.svg");
        File.WriteAllText(dot, "old");
        File.CreateSymbolicLink(svg, "g.dot");
        var run = CalcRun.Of("x*y", "x=2", "y=3", "--dot", dot, "--svg", svg);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"calc: --dot {dot} and --svg {svg} are the same file ({dot}, through a symbolic link); give them different paths (one would replace the other).", run.Err.TrimEnd());
        Assert.Equal("old", File.ReadAllText(dot));
    }

    [Fact]
    public void Train_SaveLinkedToAReportFile_IsRefusedBeforeTraining()
    {
        string report = _temp.PathOf("r4"), save = _temp.PathOf("linkm.safetensors");
        Directory.CreateDirectory(report);
        File.CreateSymbolicLink(save, "r4/metrics.csv");
        var (code, stdout, stderr) = CliRun.TrainSmall(new TrainOptions { SavePath = save, ReportDirectory = report });
        Assert.Equal(2, code);
        string metrics = Path.Combine(report, "metrics.csv");
        Assert.Equal($"sharpgrad train: --save {save} and --report (its metrics.csv) {metrics} are the same file ({metrics}, through a symbolic link); give them different paths (one would replace the other).", stderr.TrimEnd());
        Assert.Equal("", stdout);
        Assert.Empty(Directory.GetFileSystemEntries(report));
    }

    [Fact]
    public void Train_OptimizerFileLinkedToTheModel_IsRefusedBeforeTraining()
    {
        string save = _temp.PathOf("m5.safetensors");
        File.CreateSymbolicLink(save + ".optimizer", "m5.safetensors");
        var (code, _, stderr) = CliRun.TrainSmall(new TrainOptions { SavePath = save });
        Assert.Equal(2, code);
        Assert.Contains($"--save {save} and --save (its optimizer-state file) {save}.optimizer are the same file", stderr);
        Assert.False(File.Exists(save));
    }

    [Fact]
    public void Train_ReportFileLinkedToTheModel_IsRefusedBeforeTraining()
    {
        string save = _temp.PathOf("m7.safetensors"), report = _temp.PathOf("r6");
        Directory.CreateDirectory(report);
        File.CreateSymbolicLink(Path.Combine(report, "confusion.svg"), "../m7.safetensors");
        var (code, _, stderr) = CliRun.TrainSmall(new TrainOptions { SavePath = save, ReportDirectory = report });
        Assert.Equal(2, code);
        Assert.Contains($"--save {save} and --report (its confusion.svg) {Path.Combine(report, "confusion.svg")} are the same file ({save}, through a symbolic link)", stderr);
        Assert.False(File.Exists(save));
    }

    [Fact]
    public void Train_ReportFolderLinkedIntoTheModelFile_IsRefusedBeforeTraining()
    {
        string save = _temp.PathOf("m"), report = _temp.PathOf("rl");
        File.CreateSymbolicLink(report, "m/report");
        var (code, _, stderr) = CliRun.TrainSmall(new TrainOptions { SavePath = save, ReportDirectory = report });
        Assert.Equal(2, code);
        Assert.Equal($"sharpgrad train: --report {report} is inside {save}, which --save writes as a file; give them different paths.", stderr.TrimEnd());
        Assert.False(File.Exists(save));
    }

    [Fact]
    public void Train_ReportFileOnTheResumedModel_IsRefusedBeforeTraining_AndSavingOverItStillWorks()
    {
        string resume = _temp.PathOf("a.safetensors"), report = _temp.PathOf("rr");
        Assert.Equal(0, CliRun.TrainSmall(new TrainOptions { SavePath = resume }).Code);
        byte[] before = File.ReadAllBytes(resume);
        Directory.CreateDirectory(report);
        File.CreateSymbolicLink(Path.Combine(report, "curves.png"), "../a.safetensors");
        var (code, _, stderr) = CliRun.TrainSmall(new TrainOptions { ResumePath = resume, Epochs = 2, ReportDirectory = report });
        Assert.Equal(2, code);
        Assert.Contains($"--resume {resume} and --report (its curves.png) {Path.Combine(report, "curves.png")} are the same file", stderr);
        Assert.Equal(before, File.ReadAllBytes(resume));
        // Continuing in place (--save onto the file resumed from) is what --save after --resume is for.
        File.CreateSymbolicLink(_temp.PathOf("again.safetensors"), "a.safetensors");
        File.CreateSymbolicLink(_temp.PathOf("again.safetensors.optimizer"), "a.safetensors.optimizer");
        var resumed = CliRun.Train(new TrainOptions { ResumePath = resume, Epochs = 2, SavePath = _temp.PathOf("again.safetensors") });
        Assert.True(resumed.Code == 0, resumed.Err);
    }

    [Fact]
    public void Train_SaveLinkedToTheResumedModel_WithoutItsOptimizerFile_IsRefused_AndThePairIsUntouched()
    {
        // s.safetensors → m.safetensors, but s.safetensors.optimizer is a file of its own: the new weights would land in
        // m.safetensors beside m's old optimizer state, and a later --resume m would silently repeat epochs.
        string resume = _temp.PathOf("m.safetensors"), save = _temp.PathOf("s.safetensors");
        Assert.Equal(0, CliRun.TrainSmall(new TrainOptions { SavePath = resume }).Code);
        byte[] model = File.ReadAllBytes(resume), state = File.ReadAllBytes(resume + ".optimizer");
        File.CreateSymbolicLink(save, "m.safetensors");
        var (code, _, stderr) = CliRun.TrainSmall(new TrainOptions { ResumePath = resume, Epochs = 2, SavePath = save });
        Assert.Equal(2, code);
        Assert.Contains($"--save {save} lands on the --resume file {resume}, but its optimizer-state file {save}.optimizer does not land on {resume}.optimizer", stderr);
        Assert.Equal(model, File.ReadAllBytes(resume));
        Assert.Equal(state, File.ReadAllBytes(resume + ".optimizer"));
        Assert.False(File.Exists(save + ".optimizer"));
    }

    [Fact]
    public void Export_OnnxLinkedToTheModel_IsRefused_AndTheModelSurvives()
    {
        string model = _temp.PathOf("g9.safetensors"), onnx = _temp.PathOf("g9.onnx");
        Models.Mlp([4], batchNorm: false, dropout: 0, new Generator(1)).Save(model);
        byte[] before = File.ReadAllBytes(model);
        File.CreateSymbolicLink(onnx, "g9.safetensors");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        Assert.Equal(2, ExportCommand.Run(model, onnx, inputShape: null, softmax: false, stdout, stderr));
        Assert.Equal($"sharpgrad export: --onnx {onnx} is the model file {model} itself (through a symbolic link, both are {model}); writing the ONNX file there would destroy the model. Choose another name (e.g. model.onnx).", stderr.ToString().TrimEnd());
        Assert.Equal("", stdout.ToString());
        Assert.Equal(before, File.ReadAllBytes(model));
    }
}
