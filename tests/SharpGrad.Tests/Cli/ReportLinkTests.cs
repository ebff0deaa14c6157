using SharpGrad.Cli.Train;
using SharpGrad.Tests.Toolkit;

namespace SharpGrad.Tests.Cli;

/// <summary>
/// Symbolic links where --report writes. A report file that is a link into a missing folder used to pass the checks
/// and fail only after training; a --report folder that is a dangling link was called "a file".
/// </summary>
[Collection("KernelSettings")]
public sealed class ReportLinkTests : IDisposable
{
    private readonly TempDirectory _temp = new("sharpgrad-report-links-");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void ReportFile_ALinkIntoAMissingFolder_IsRefusedBeforeTraining()
    {
        string report = _temp.PathOf("rep");
        Directory.CreateDirectory(report);
        File.CreateSymbolicLink(Path.Combine(report, "curves.svg"), "gone/curves.svg");
        CliRun.AssertTrainRefused(new TrainOptions { ReportDirectory = report }, $"sharpgrad train: --report (its curves.svg) {Path.Combine(report, "curves.svg")}: the folder {_temp.PathOf("rep/gone")} does not exist.");
        Assert.Single(Directory.GetFileSystemEntries(report)); // nothing written beside the link
    }

    [Fact]
    public void ReportFolder_ADanglingLink_IsNamedAsOne()
    {
        string report = _temp.PathOf("rep");
        File.CreateSymbolicLink(report, "missing");
        CliRun.AssertTrainRefused(new TrainOptions { ReportDirectory = report }, $"sharpgrad train: --report {report}: is a symbolic link to {_temp.PathOf("missing")}, which does not exist; create that folder or give another path.");
    }

    [Fact]
    public void ReportFolder_UnderADanglingLink_IsNamedAsOne()
    {
        File.CreateSymbolicLink(_temp.PathOf("runs"), "missing");
        string report = _temp.PathOf("runs/rep");
        CliRun.AssertTrainRefused(new TrainOptions { ReportDirectory = report }, $"sharpgrad train: --report {report}: the folder cannot be created ({_temp.PathOf("runs")} is a symbolic link to {_temp.PathOf("missing")}, which does not exist).");
    }
}
