using SharpGrad.Cli.Train;
using SharpGrad.IO;
using SharpGrad.Tests.Toolkit;

namespace SharpGrad.Tests.Cli;

/// <summary>
/// The wrappers that repeat an inner message leave its " (Parameter 'name')" to the command's handler, which removes
/// it once, just before printing.
/// </summary>
[Collection("KernelSettings")]
public sealed class WrappedMessageTests : IDisposable
{
    private readonly TempDirectory _temp = new("sharpgrad-wrapped-");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Resume_WithADamagedDropoutState_PrintsTheGeneratorsReason_WithoutTheParameterSuffix()
    {
        string model = _temp.PathOf("d.safetensors"), optimizer = model + ".optimizer";
        var saved = CliRun.TrainSmall(new TrainOptions { Dropout = 0.1, SavePath = model });
        Assert.True(saved.Code == 0, saved.Err);
        var file = SafeTensors.Read(optimizer);
        SafeTensors.Write(optimizer, file.Tensors, new Dictionary<string, string>(file.Metadata) { [TrainCommand.DropoutStateKey] = "00" });

        var (code, stdout, stderr) = CliRun.Train(new TrainOptions { ResumePath = model, Epochs = 2 });

        Assert.Equal(2, code);
        Assert.Equal($"sharpgrad train: --resume (its optimizer-state file) {optimizer}: the saved dropout random state '{TrainCommand.DropoutStateKey}' is damaged (A generator state is 41 bytes, not 1.).", stderr.TrimEnd());
        Assert.DoesNotContain("epoch", stdout);
    }
}
