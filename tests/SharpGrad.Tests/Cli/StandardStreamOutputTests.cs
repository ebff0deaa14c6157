using SharpGrad.Cli.Train;
using SharpGrad.Tests.Toolkit;

namespace SharpGrad.Tests.Cli;

/// <summary>
/// train's --save and export's --onnx refuse this process's standard output or error by any name: both commands print
/// their own lines there, which would run into the model's bytes (and a redirected file used to be replaced by a rename).
/// </summary>
[Collection("KernelSettings")]
public sealed class StandardStreamOutputTests : IDisposable
{
    private readonly TempDirectory _temp = new("sharpgrad-stream-outputs-");

    public void Dispose() => _temp.Dispose();

    [StandardStreamTheory]
    [InlineData("/dev/stdout", "standard output")]
    [InlineData("/proc/self/fd/2", "standard error")]
    public void Train_Save_OnAStandardStream_IsRefused(string save, string stream) =>
        CliRun.AssertTrainRefused(new TrainOptions { SavePath = save },
            $"sharpgrad train: --save {save}: is this command's {stream}, where it prints its own messages; give a file name instead.");

    [StandardStreamFact]
    public void Export_Onnx_ThroughALinkToStandardOutput_IsRefused_AndWritesNothing()
    {
        string model = _temp.PathOf("m.safetensors");
        var (code, _, err) = CliRun.TrainSmall(new TrainOptions { SavePath = model });
        Assert.True(code == 0, err);
        string link = _temp.PathOf("out.onnx");
        File.CreateSymbolicLink(link, "/dev/stdout");
        CliRun.AssertExportRefused(model, link,
            $"sharpgrad export: --onnx {link}: is this command's standard output, where it prints its own messages; give a file name instead.");
        Assert.Equal(["m.safetensors", "m.safetensors.optimizer", "out.onnx"], _temp.Entries());
    }

    [Fact]
    public void Train_Save_Dash_IsRefused_NotWrittenAsAFileNamedDash()
    {
        bool before = File.Exists("-");
        CliRun.AssertTrainRefused(new TrainOptions { SavePath = "-" },
            "sharpgrad train: --save -: this command cannot write its file to standard output; give a file name (./- for a file named '-').");
        Assert.Equal(before, File.Exists("-"));
    }
}
