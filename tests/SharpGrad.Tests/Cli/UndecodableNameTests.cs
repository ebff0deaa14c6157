using SharpGrad.Cli.Train;
using SharpGrad.Tests.Calc;
using SharpGrad.Tests.Toolkit;

namespace SharpGrad.Tests.Cli;

/// <summary>A test of Unix paths (bytes, decoded as UTF-8 by .NET): skipped on Windows.</summary>
public sealed class UnixFactAttribute : FactAttribute
{
    public UnixFactAttribute()
    {
        if (OperatingSystem.IsWindows()) Skip = "Windows paths are UTF-16: no undecodable bytes";
    }
}

/// <summary>
/// An output name with bytes that are not UTF-8 (<c>--dot $'a\xffb.dot'</c>) reaches the program with U+FFFD in their
/// place: it used to be written under that other name ("a�b.dot"), silently. It is refused now (Unix only: on
/// Windows the command line is UTF-16 and cannot hold such bytes).
/// </summary>
[Collection("KernelSettings")]
public sealed class UndecodableNameTests : IDisposable
{
    private readonly TempDirectory _temp = new("sharpgrad-undecodable-");

    public void Dispose() => _temp.Dispose();

    private static string Refusal(string option, string path) =>
        $"{option} {path}: the name holds bytes that are not UTF-8 (shown as \uFFFD), which reach the program replaced, so the file would get another name; use a UTF-8 name.";

    [UnixFact]
    public void Calc_Dot_IsRefused_AndNothingIsWritten()
    {
        string dot = _temp.PathOf("a\uFFFDb.dot");
        var run = CalcRun.Of("x*y", "x=2", "y=3", "--dot", dot);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"calc: {Refusal("--dot", dot)}", run.Err.TrimEnd());
        Assert.Empty(Directory.GetFileSystemEntries(_temp.Path));
    }

    [UnixFact]
    public void Train_SaveAndReport_AreRefusedBeforeTraining()
    {
        string save = _temp.PathOf("m\uFFFD.safetensors"), report = _temp.PathOf("r\uFFFD");
        CliRun.AssertTrainRefused(new TrainOptions { SavePath = save }, $"sharpgrad train: {Refusal("--save", save)}");
        var (code, _, stderr) = CliRun.TrainSmall(new TrainOptions { ReportDirectory = report });
        Assert.Equal(2, code);
        Assert.Equal($"sharpgrad train: {Refusal("--report", report)}", stderr.TrimEnd());
        Assert.Empty(Directory.GetFileSystemEntries(_temp.Path));
    }

    [UnixFact]
    public void Export_Onnx_IsRefused()
    {
        string onnx = _temp.PathOf("\uFFFD.onnx");
        CliRun.AssertExportRefused(_temp.PathOf("m.safetensors"), onnx, $"sharpgrad export: {Refusal("--onnx", onnx)}");
    }
}
