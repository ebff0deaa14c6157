using System.Text.Json;
using SharpGrad.Cli.Reports;
using SharpGrad.Cli.Train;
using SharpGrad.IO;
using SharpGrad.Tests.Toolkit;

namespace SharpGrad.Tests.Reports;

public sealed class TrainingReportErrorTests : IDisposable
{
    private static readonly EpochResult[] OneEpoch = [new(1, 0.5, 0.8, 0.75, 1.5, 200)];
    private readonly TempDirectory _temp = new("sharpgrad-report-");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Write_Throws_WhenThereAreNoEpochs()
    {
        var e = Assert.Throws<ArgumentException>(() => TrainingReport.Write(_temp.Path, [], new int[2, 2], "t"));
        Assert.Contains("epoch", e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(_temp.Path));
    }

    [Fact]
    public void Write_Throws_WhenTheMatrixIsNotSquare()
    {
        var e = Assert.Throws<ArgumentException>(() => TrainingReport.Write(_temp.Path, OneEpoch, new int[2, 3], "t"));
        Assert.Contains("square", e.Message);
        Assert.Throws<ArgumentException>(() => TrainingReport.Write(_temp.Path, OneEpoch, new int[0, 0], "t"));
        Assert.Empty(Directory.GetFileSystemEntries(_temp.Path));
    }

    [Fact]
    public void Write_Throws_WhenClassNamesDoNotMatchTheMatrix() =>
        Assert.Throws<ArgumentException>(() => TrainingReport.Write(_temp.Path, OneEpoch, new int[2, 2], "t", ["a", "b", "c"]));

    [Fact]
    public void Write_ThrowsIOExceptionNamingThePath_WhenTheDirectoryCannotBeCreated()
    {
        // A regular file where a parent directory should be: no user, not even root, can create it.
        string file = _temp.PathOf("not-a-directory");
        File.WriteAllText(file, "x");
        string target = Path.Combine(file, "report");
        var e = Assert.Throws<IOException>(() => TrainingReport.Write(target, OneEpoch, new int[2, 2], "t"));
        Assert.Contains(target, e.Message);
    }

    [Fact]
    public void Write_ReplacesAnEarlierReport_AndWritesNonFiniteJsonValuesAsNull()
    {
        TrainingReport.Write(_temp.Path, OneEpoch, new int[2, 2], "first");
        EpochResult[] noTestSet = [new(1, 0.25, 0.5, double.NaN, 1, 10), new(2, 0.125, 0.75, double.NaN, 1, 10)];
        TrainingReport.Write(_temp.Path, noTestSet, new int[2, 2], "second", ["yes", "no"]);

        using var json = JsonDocument.Parse(File.ReadAllBytes(_temp.PathOf("metrics.json")));
        Assert.Equal("second", json.RootElement.GetProperty("title").GetString());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("final_test_accuracy").ValueKind);
        Assert.Equal(2, json.RootElement.GetProperty("epochs").GetArrayLength());
        Assert.Contains("\n2,0.125,0.75,NaN,1,10\n", File.ReadAllText(_temp.PathOf("metrics.csv")));
        Assert.Equal(7, Directory.GetFiles(_temp.Path).Length); // replaced in place, no temporary files left
    }

    [Fact]
    public void AtomicFile_LeavesNoTemporaryFile_WhenTheTargetIsADirectory()
    {
        string target = _temp.PathOf("taken");
        Directory.CreateDirectory(target);
        var e = Assert.Throws<IOException>(() => AtomicFile.WriteAllText(target, "x"));
        Assert.Contains(target, e.Message);
        Assert.Equal([target], Directory.GetFileSystemEntries(_temp.Path));
    }

    [Fact]
    public void AtomicFile_NamesTheTarget_NotATemporaryFile_WhenTheFolderIsMissing_OrThePathIsEmpty()
    {
        string target = Path.Combine(_temp.Path, "no", "such", "m.bin");
        var e = Assert.Throws<IOException>(() => AtomicFile.WriteAllText(target, "x"));
        Assert.Contains(target, e.Message);
        Assert.Contains("does not exist", e.Message);
        Assert.DoesNotContain(".tmp", e.Message);
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => AtomicFile.WriteAllText("", "x")).Message);
    }
}
