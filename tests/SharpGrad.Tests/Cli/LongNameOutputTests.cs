using SharpGrad.Cli.Train;
using SharpGrad.IO;
using SharpGrad.Tests.Calc;
using SharpGrad.Tests.Toolkit;

namespace SharpGrad.Tests.Cli;

/// <summary>
/// File names near or over the file system's limit of 255 bytes. A name the system accepts is written (the temporary
/// file beside it used to be ".NAME.ID.tmp", 38 bytes longer, so a 240-byte name failed); one it refuses is refused
/// before training, with its length, where train used to fail only after the whole run.
/// </summary>
[Collection("KernelSettings")]
public sealed class LongNameOutputTests : IDisposable
{
    private readonly TempDirectory _temp = new("sharpgrad-long-names-");

    public void Dispose() => _temp.Dispose();

    private static string Name(int length) => new('n', length);

    [Theory]
    [InlineData(1)]
    [InlineData(30)]
    [InlineData(240)]
    [InlineData(255)]
    public void AtomicFile_WritesANameTheSystemTakes_AndLeavesNoTemporary(int length)
    {
        AtomicFile.WriteAllText(_temp.PathOf(Name(length)), "x");
        Assert.Equal([Name(length)], _temp.Entries());
    }

    [Fact]
    public void AtomicFile_TemporaryNames_AreNeverLongerThanNeeded_NorShorterThanTheTarget()
    {
        foreach (int length in new[] { 1, 25, 26, 63, 64, 200, 255 })
        {
            int temporary = Path.GetFileName(AtomicFile.TemporaryPath(_temp.PathOf(Name(length)))).Length;
            Assert.InRange(temporary, length, Math.Max(length, 64));
        }
        // A name of several-byte characters is cut between characters, never inside one (a lone surrogate would not encode).
        string wide = string.Concat(Enumerable.Repeat("\U0001F600", 60)); // 240 bytes in UTF-8
        string cut = Path.GetFileName(AtomicFile.TemporaryPath(_temp.PathOf(wide)));
        Assert.InRange(new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true).GetByteCount(cut), 64, 240);
    }

    [Fact]
    public void AtomicFile_NameOverTheLimit_SaysHowLongItIs()
    {
        string path = _temp.PathOf(Name(300));
        var e = Assert.Throws<IOException>(() => AtomicFile.WriteAllText(path, "x"));
        Assert.Equal($"{path}: cannot write (its name is 300 bytes long, more than the 255 a file name can have).", e.Message);
        Assert.Empty(_temp.Entries());
    }

    [Fact]
    public void Train_SaveWithANearLimitName_IsWritten()
    {
        string save = _temp.PathOf(Name(240)); // and its optimizer-state file, 250 bytes
        var (code, _, stderr) = CliRun.TrainSmall(new TrainOptions { SavePath = save });
        Assert.True(code == 0, stderr);
        Assert.Equal([Name(240), Name(240) + ".optimizer"], _temp.Entries());
    }

    [Fact]
    public void Train_SaveWhoseOptimizerFileNameIsOverTheLimit_IsRefusedBeforeTraining()
    {
        string save = _temp.PathOf(Name(250));
        CliRun.AssertTrainRefused(new TrainOptions { SavePath = save }, $"sharpgrad train: --save (its optimizer-state file) {save}.optimizer: its name is 260 bytes long, more than the 255 a file or folder name can have.");
        Assert.Empty(_temp.Entries());
    }

    [Fact]
    public void Train_SaveWithANameOverTheLimit_IsRefusedBeforeTraining()
    {
        string save = _temp.PathOf(Name(300));
        CliRun.AssertTrainRefused(new TrainOptions { SavePath = save }, $"sharpgrad train: --save {save}: its name is 300 bytes long, more than the 255 a file or folder name can have.");
    }

    [Fact]
    public void Train_ReportUnderAFolderNameOverTheLimit_IsRefusedBeforeTraining()
    {
        string report = Path.Combine(_temp.Path, "runs", Name(300), "report");
        CliRun.AssertTrainRefused(new TrainOptions { ReportDirectory = report }, $"sharpgrad train: --report {report}: a folder name in it is 300 bytes long, more than the 255 a file or folder name can have.");
        Assert.Empty(_temp.Entries());
    }

    [Fact]
    public void Export_OnnxWithANameOverTheLimit_IsRefused()
    {
        string onnx = _temp.PathOf(Name(300));
        CliRun.AssertExportRefused(_temp.PathOf("m.safetensors"), onnx, $"sharpgrad export: --onnx {onnx}: its name is 300 bytes long, more than the 255 a file or folder name can have.");
    }

    [Fact]
    public void Calc_DotWithANearLimitName_IsWritten()
    {
        var run = CalcRun.Of("x*y", "x=2", "y=3", "--dot", _temp.PathOf(Name(250)));
        Assert.True(run.ExitCode == 0, run.Err);
        Assert.Equal([Name(250)], _temp.Entries());
    }
}
