using SharpGrad.Cli;
using SharpGrad.Cli.Reports;
using SharpGrad.Cli.Train;
using SharpGrad.Tests.Toolkit;

namespace SharpGrad.Tests.Cli;

/// <summary>
/// A training report is written all or nothing. Its seven files used to be renamed into place one by one, so a full
/// disk part-way left a report of new metrics beside old (or no) pictures, and the folder it had created.
/// </summary>
public sealed class ReportAllOrNothingTests : IDisposable
{
    private readonly TempDirectory _temp = new("sharpgrad-report-atomic-");

    public void Dispose() => _temp.Dispose();

    private static readonly List<EpochResult> History = [new(1, 0.5, 0.8, 0.7, 1, 100)];

    [Fact]
    public void Report_WhoseLaterFileFails_LeavesTheEarlierReportAsItWas()
    {
        string report = _temp.PathOf("rep");
        Directory.CreateDirectory(report);
        File.WriteAllText(Path.Combine(report, "metrics.csv"), "old");
        // The last file written cannot be: its link leads into a folder that does not exist.
        File.CreateSymbolicLink(Path.Combine(report, TrainingReport.FileNames[^1]), "gone/x");

        Assert.Throws<IOException>(() => TrainingReport.Write(report, History, new int[2, 2], "t"));

        Assert.Equal("old", File.ReadAllText(Path.Combine(report, "metrics.csv")));
        Assert.Equal(new[] { "metrics.csv", TrainingReport.FileNames[^1] }.Order(), Directory.GetFileSystemEntries(report).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void CreatedFolders_RemovesWhatItCreated_InnermostFirst_WhileEmpty()
    {
        Directory.CreateDirectory(_temp.PathOf("a"));
        var created = CreatedFolders.Create(_temp.PathOf("a/b/c/d"));
        Assert.Equal([_temp.PathOf("a/b"), _temp.PathOf("a/b/c"), _temp.PathOf("a/b/c/d")], created.Folders);
        File.WriteAllText(_temp.PathOf("a/b/kept"), "x");
        created.RemoveIfEmpty();
        Assert.False(Directory.Exists(_temp.PathOf("a/b/c")));
        Assert.True(File.Exists(_temp.PathOf("a/b/kept"))); // a/b holds a file: it stays, and so does a
        File.Delete(_temp.PathOf("a/b/kept"));
        CreatedFolders.Create(_temp.PathOf("a/b/c")).RemoveIfEmpty();
        Assert.True(Directory.Exists(_temp.PathOf("a/b"))); // it existed before this second Create
        Assert.False(Directory.Exists(_temp.PathOf("a/b/c")));
    }
}
