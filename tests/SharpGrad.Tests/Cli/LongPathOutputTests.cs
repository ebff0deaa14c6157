using SharpGrad.Cli.Train;
using SharpGrad.Tests.Toolkit;

namespace SharpGrad.Tests.Cli;

/// <summary>A test of the whole-path limit that Linux (4,095 bytes) and macOS (1,023) set: skipped elsewhere.</summary>
public sealed class PathLimitFactAttribute : FactAttribute
{
    public PathLimitFactAttribute()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) Skip = "the system sets no single limit on a path's length";
    }
}

/// <summary>
/// A --report folder whose path is too long for files to be written in it (every name in it short enough) is refused
/// before training: it used to pass the checks, which probe only the nearest folder that exists, and fail after the run.
/// </summary>
[Collection("KernelSettings")]
public sealed class LongPathOutputTests : IDisposable
{
    private readonly TempDirectory _temp = new("sharpgrad-long-path-");

    public void Dispose() => _temp.Dispose();

    [PathLimitFact]
    public void Report_WhosePathIsTooLongForItsFiles_IsRefusedBeforeTraining()
    {
        string report = Path.Combine([_temp.Path, .. Enumerable.Repeat(new string('d', 250), 17)]);
        var (code, stdout, stderr) = CliRun.TrainSmall(new TrainOptions { ReportDirectory = report });
        Assert.Equal(2, code);
        Assert.StartsWith($"sharpgrad train: --report {report}: its path is {report.Length} bytes long, too long to write files in (a path can have at most ", stderr);
        Assert.Equal("", stdout);
        Assert.Empty(Directory.GetFileSystemEntries(_temp.Path));
    }
}
