using SharpGrad.Cli.Train;

namespace SharpGrad.Tests.Cli;

/// <summary>
/// Symbolic links where --report writes. A report file that is a link into a missing folder used to pass the checks
/// and fail only after training; a --report folder that is a dangling link was called "a file".
/// </summary>
[Collection("KernelSettings")]
public sealed class ReportLinkTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpgrad-report-links-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string P(string name) => Path.Combine(_dir, name);

    [Fact]
    public void ReportFile_ALinkIntoAMissingFolder_IsRefusedBeforeTraining()
    {
        string report = P("rep");
        Directory.CreateDirectory(report);
        File.CreateSymbolicLink(Path.Combine(report, "curves.svg"), "gone/curves.svg");
        var (code, stdout, stderr) = CliRun.TrainSmall(new TrainOptions { ReportDirectory = report });
        Assert.Equal(2, code);
        Assert.Equal($"sharpgrad train: --report (its curves.svg) {Path.Combine(report, "curves.svg")}: the folder {P("rep/gone")} does not exist.", stderr.TrimEnd());
        Assert.Equal("", stdout);
        Assert.Single(Directory.GetFileSystemEntries(report)); // nothing written beside the link
    }

    [Fact]
    public void ReportFolder_ADanglingLink_IsNamedAsOne()
    {
        string report = P("rep");
        File.CreateSymbolicLink(report, "missing");
        var (code, stdout, stderr) = CliRun.TrainSmall(new TrainOptions { ReportDirectory = report });
        Assert.Equal(2, code);
        Assert.Equal($"sharpgrad train: --report {report}: is a symbolic link to {P("missing")}, which does not exist; create that folder or give another path.", stderr.TrimEnd());
        Assert.Equal("", stdout);
    }

    [Fact]
    public void ReportFolder_UnderADanglingLink_IsNamedAsOne()
    {
        File.CreateSymbolicLink(P("runs"), "missing");
        string report = P("runs/rep");
        var (code, stdout, stderr) = CliRun.TrainSmall(new TrainOptions { ReportDirectory = report });
        Assert.Equal(2, code);
        Assert.Equal($"sharpgrad train: --report {report}: the folder cannot be created ({P("runs")} is a symbolic link to {P("missing")}, which does not exist).", stderr.TrimEnd());
        Assert.Equal("", stdout);
    }
}
