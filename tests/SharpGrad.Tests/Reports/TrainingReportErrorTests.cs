using System.Text.Json;
using SharpGrad.Cli.Reports;
using SharpGrad.Cli.Train;
using SharpGrad.IO;

namespace SharpGrad.Tests.Reports;

public sealed class TrainingReportErrorTests : IDisposable
{
    private static readonly EpochResult[] OneEpoch = [new(1, 0.5, 0.8, 0.75, 1.5, 200)];
    private readonly string _root = Path.Combine(Path.GetTempPath(), "sharpgrad-report-" + Guid.NewGuid().ToString("N"));

    public TrainingReportErrorTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Write_Throws_WhenThereAreNoEpochs()
    {
        var e = Assert.Throws<ArgumentException>(() => TrainingReport.Write(_root, [], new int[2, 2], "t"));
        Assert.Contains("epoch", e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(_root));
    }

    [Fact]
    public void Write_Throws_WhenTheMatrixIsNotSquare()
    {
        var e = Assert.Throws<ArgumentException>(() => TrainingReport.Write(_root, OneEpoch, new int[2, 3], "t"));
        Assert.Contains("square", e.Message);
        Assert.Throws<ArgumentException>(() => TrainingReport.Write(_root, OneEpoch, new int[0, 0], "t"));
        Assert.Empty(Directory.GetFileSystemEntries(_root));
    }

    [Fact]
    public void Write_Throws_WhenClassNamesDoNotMatchTheMatrix() =>
        Assert.Throws<ArgumentException>(() => TrainingReport.Write(_root, OneEpoch, new int[2, 2], "t", ["a", "b", "c"]));

    [Fact]
    public void Write_ThrowsIOExceptionNamingThePath_WhenTheDirectoryCannotBeCreated()
    {
        // A regular file where a parent directory should be: no user, not even root, can create it.
        string file = Path.Combine(_root, "not-a-directory");
        File.WriteAllText(file, "x");
        string target = Path.Combine(file, "report");
        var e = Assert.Throws<IOException>(() => TrainingReport.Write(target, OneEpoch, new int[2, 2], "t"));
        Assert.Contains(target, e.Message);
    }

    [Fact]
    public void Write_ReplacesAnEarlierReport_AndWritesNonFiniteJsonValuesAsNull()
    {
        TrainingReport.Write(_root, OneEpoch, new int[2, 2], "first");
        EpochResult[] noTestSet = [new(1, 0.25, 0.5, double.NaN, 1, 10), new(2, 0.125, 0.75, double.NaN, 1, 10)];
        TrainingReport.Write(_root, noTestSet, new int[2, 2], "second", ["yes", "no"]);

        using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(_root, "metrics.json")));
        Assert.Equal("second", json.RootElement.GetProperty("title").GetString());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("final_test_accuracy").ValueKind);
        Assert.Equal(2, json.RootElement.GetProperty("epochs").GetArrayLength());
        Assert.Contains("\n2,0.125,0.75,NaN,1,10\n", File.ReadAllText(Path.Combine(_root, "metrics.csv")));
        Assert.Equal(7, Directory.GetFiles(_root).Length); // replaced in place, no temporary files left
    }

    [Fact]
    public void AtomicFile_LeavesNoTemporaryFile_WhenTheTargetIsADirectory()
    {
        string target = Path.Combine(_root, "taken");
        Directory.CreateDirectory(target);
        var e = Assert.Throws<IOException>(() => AtomicFile.WriteAllText(target, "x"));
        Assert.Contains(target, e.Message);
        Assert.Equal([target], Directory.GetFileSystemEntries(_root));
    }

    [Fact]
    public void AtomicFile_NamesTheTarget_NotATemporaryFile_WhenTheFolderIsMissing_OrThePathIsEmpty()
    {
        string target = Path.Combine(_root, "no", "such", "m.bin");
        var e = Assert.Throws<IOException>(() => AtomicFile.WriteAllText(target, "x"));
        Assert.Contains(target, e.Message);
        Assert.Contains("does not exist", e.Message);
        Assert.DoesNotContain(".tmp", e.Message);
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => AtomicFile.WriteAllText("", "x")).Message);
    }
}
