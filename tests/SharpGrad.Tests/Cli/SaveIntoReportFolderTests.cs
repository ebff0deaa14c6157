using SharpGrad.Cli.Reports;
using SharpGrad.Cli.Train;
using SharpGrad.Data;

namespace SharpGrad.Tests.Cli;

/// <summary>
/// --save may name a file in the folder --report creates (<c>--save rep/m.safetensors --report rep</c>): that folder
/// is made before the model is saved. It used to be refused while rep did not exist, although --report creates its
/// folder (and its parents) itself. Any other missing folder is still refused before training, as before.
/// </summary>
[Collection("KernelSettings")]
public sealed class SaveIntoReportFolderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpgrad-save-in-report-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string P(string name) => Path.Combine(_dir, name);

    private static string[] Entries(string folder) => [.. Directory.GetFileSystemEntries(folder).Select(Path.GetFileName).Order()!];

    [Fact]
    public void Save_InTheReportFolder_IsWrittenThere_WithTheReport()
    {
        string report = P("rep"), save = Path.Combine(report, "m.safetensors");
        var (code, stdout, stderr) = CliRun.TrainSmall(new TrainOptions { SavePath = save, ReportDirectory = report });
        Assert.True(code == 0, stderr);
        Assert.Contains($"saved: {save}", stdout);
        Assert.Equal([.. TrainingReport.FileNames.Append("m.safetensors").Append("m.safetensors.optimizer").Order()], Entries(report));
    }

    [Fact]
    public void Save_InAParentTheReportFolderCreates_IsWrittenThere()
    {
        string report = P("run/report"), save = P("run/m.safetensors");
        var (code, _, stderr) = CliRun.TrainSmall(new TrainOptions { SavePath = save, ReportDirectory = report });
        Assert.True(code == 0, stderr);
        Assert.Equal(["m.safetensors", "m.safetensors.optimizer", "report"], Entries(P("run")));
    }

    [Fact]
    public void Save_InAMissingFolderTheReportDoesNotCreate_IsRefusedBeforeTraining()
    {
        string report = P("rep"), save = P("rep/models/m.safetensors");
        var (code, stdout, stderr) = CliRun.TrainSmall(new TrainOptions { SavePath = save, ReportDirectory = report });
        Assert.Equal(2, code);
        Assert.Equal($"sharpgrad train: --save {save}: the folder {P("rep/models")} does not exist.", stderr.TrimEnd());
        Assert.Equal("", stdout);
        Assert.Empty(Entries(_dir));
    }

    [Fact]
    public void Save_InAMissingFolderWithoutReport_IsStillRefused()
    {
        string save = P("rep/m.safetensors");
        var (code, _, stderr) = CliRun.TrainSmall(new TrainOptions { SavePath = save });
        Assert.Equal(2, code);
        Assert.Equal($"sharpgrad train: --save {save}: the folder {P("rep")} does not exist.", stderr.TrimEnd());
        Assert.Empty(Entries(_dir));
    }

    [Fact]
    public void Save_ThatFailsAfterCreatingTheReportFolder_RemovesIt()
    {
        string report = P("runs/rep"), save = Path.Combine(report, new string('n', 300)); // a name no file system takes
        var (train, test) = Mnist.LoadEmbedded();
        var trainer = new Trainer(new TrainOptions { Epochs = 1, TrainLimit = 100, Hidden = [4] }.Resolve(), train, test);
        Assert.Throws<IOException>(() => TrainCommand.Save(save, trainer, [], new StringWriter(), report));
        Assert.Empty(Entries(_dir));
    }
}
