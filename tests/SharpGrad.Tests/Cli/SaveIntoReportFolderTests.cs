using SharpGrad.Cli.Reports;
using SharpGrad.Cli.Train;
using SharpGrad.Data;
using SharpGrad.Tests.Toolkit;

namespace SharpGrad.Tests.Cli;

/// <summary>
/// --save may name a file in the folder --report creates (<c>--save rep/m.safetensors --report rep</c>): that folder
/// is made before the model is saved. It used to be refused while rep did not exist, although --report creates its
/// folder (and its parents) itself. Any other missing folder is still refused before training, as before.
/// </summary>
[Collection("KernelSettings")]
public sealed class SaveIntoReportFolderTests : IDisposable
{
    private readonly TempDirectory _temp = new("sharpgrad-save-in-report-");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Save_InTheReportFolder_IsWrittenThere_WithTheReport()
    {
        string report = _temp.PathOf("rep"), save = Path.Combine(report, "m.safetensors");
        var (code, stdout, stderr) = CliRun.TrainSmall(new TrainOptions { SavePath = save, ReportDirectory = report });
        Assert.True(code == 0, stderr);
        Assert.Contains($"saved: {save}", stdout);
        Assert.Equal([.. TrainingReport.FileNames.Append("m.safetensors").Append("m.safetensors.optimizer").Order()], TempDirectory.EntriesOf(report));
    }

    [Fact]
    public void Save_InAParentTheReportFolderCreates_IsWrittenThere()
    {
        string report = _temp.PathOf("run/report"), save = _temp.PathOf("run/m.safetensors");
        var (code, _, stderr) = CliRun.TrainSmall(new TrainOptions { SavePath = save, ReportDirectory = report });
        Assert.True(code == 0, stderr);
        Assert.Equal(["m.safetensors", "m.safetensors.optimizer", "report"], TempDirectory.EntriesOf(_temp.PathOf("run")));
    }

    [Fact]
    public void Save_InAMissingFolderTheReportDoesNotCreate_IsRefusedBeforeTraining()
    {
        string report = _temp.PathOf("rep"), save = _temp.PathOf("rep/models/m.safetensors");
        CliRun.AssertTrainRefused(new TrainOptions { SavePath = save, ReportDirectory = report }, $"sharpgrad train: --save {save}: the folder {_temp.PathOf("rep/models")} does not exist.");
        Assert.Empty(_temp.Entries());
    }

    [Fact]
    public void Save_InAMissingFolderWithoutReport_IsStillRefused()
    {
        string save = _temp.PathOf("rep/m.safetensors");
        var (code, _, stderr) = CliRun.TrainSmall(new TrainOptions { SavePath = save });
        Assert.Equal(2, code);
        Assert.Equal($"sharpgrad train: --save {save}: the folder {_temp.PathOf("rep")} does not exist.", stderr.TrimEnd());
        Assert.Empty(_temp.Entries());
    }

    [Fact]
    public void Save_ThatFailsAfterCreatingTheReportFolder_RemovesIt()
    {
        string report = _temp.PathOf("runs/rep"), save = Path.Combine(report, new string('n', 300)); // a name no file system takes
        var (train, test) = Mnist.LoadEmbedded();
        var trainer = new Trainer(new TrainOptions { Epochs = 1, TrainLimit = 100, Hidden = [4] }.Resolve(), train, test);
        Assert.Throws<IOException>(() => TrainCommand.Save(save, trainer, [], new StringWriter(), report));
        Assert.Empty(_temp.Entries());
    }
}
