using SharpGrad.Cli.Reports;
using SharpGrad.Cli.Train;
using SharpGrad.Tests.Toolkit;

namespace SharpGrad.Tests.Cli;

/// <summary>Output paths of <c>sharpgrad train</c> that cannot all be written are refused before any training.</summary>
[Collection("KernelSettings")]
public class TrainOutputPathTests : IDisposable
{
    private readonly TempDirectory _temp = new("sharpgrad-outputs-");

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string> ReportFiles() => [.. TrainingReport.FileNames];

    [Theory]
    [MemberData(nameof(ReportFiles))]
    public void ReportFolder_HoldingAFolderNamedLikeAReportFile_IsRefusedBeforeTraining(string name)
    {
        string report = _temp.PathOf("rep2"), save = _temp.PathOf("sv.safetensors");
        Directory.CreateDirectory(Path.Combine(report, name));
        CliRun.AssertTrainRefused(new TrainOptions { SavePath = save, ReportDirectory = report }, $"sharpgrad train: --report {report}: {Path.Combine(report, name)} is a folder, not a file, so {name} cannot be written there.");
        Assert.False(File.Exists(save), "the model was saved although the run was refused");
    }

    [Fact]
    public void TheReportWritesEveryFileItChecks()
    {
        var history = new List<EpochResult> { new(1, 0.5, 0.8, 0.7, 1, 100) };
        var written = TrainingReport.Write(_temp.PathOf("r"), history, new int[2, 2], "t");
        Assert.Equal(TrainingReport.FileNames, written.Select(Path.GetFileName));
    }

    [Fact]
    public void Save_OnOneOfTheReportFiles_IsRefusedBeforeTraining()
    {
        string report = _temp.PathOf("rep"), save = Path.Combine(report, "metrics.csv");
        CliRun.AssertTrainRefused(new TrainOptions { SavePath = save, ReportDirectory = report }, $"sharpgrad train: --save and --report (its metrics.csv) both name {save}; give them different paths (one would replace the other).");
        Assert.False(Directory.Exists(report));
    }

    [Fact]
    public void Report_OnTheOptimizerStateFile_IsRefusedBeforeTraining()
    {
        string save = _temp.PathOf("m.safetensors"), report = save + ".optimizer";
        var (code, _, stderr) = CliRun.TrainSmall(new TrainOptions { SavePath = save, ReportDirectory = report });
        Assert.Equal(2, code);
        Assert.Equal($"sharpgrad train: --save (its optimizer-state file) and --report both name {report}; give them different paths (one would replace the other).", stderr.TrimEnd());
        Assert.Empty(Directory.GetFileSystemEntries(_temp.Path));
    }

    [Fact]
    public void Report_InsideTheModelFile_IsRefusedBeforeTraining()
    {
        string save = _temp.PathOf("m"), report = Path.Combine(save, "report");
        CliRun.AssertTrainRefused(new TrainOptions { SavePath = save, ReportDirectory = report }, $"sharpgrad train: --report {report} is inside {save}, which --save writes as a file; give them different paths.");
        Assert.Empty(Directory.GetFileSystemEntries(_temp.Path));
    }
}
