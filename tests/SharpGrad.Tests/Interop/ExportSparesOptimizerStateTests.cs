using SharpGrad.Cli.Export;
using SharpGrad.Cli.Train;
using SharpGrad.Tests.Cli;
using SharpGrad.Tests.Toolkit;

namespace SharpGrad.Tests.Interop;

/// <summary>
/// export --onnx onto the optimizer-state file saved beside the model (m.safetensors.optimizer, one tab completion
/// from m.safetensors) is refused: it used to be overwritten with the ONNX graph, and --resume then failed on it.
/// </summary>
[Collection("KernelSettings")]
public sealed class ExportSparesOptimizerStateTests : IDisposable
{
    private readonly TempDirectory _temp = new("sharpgrad-export-state-");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Onnx_OnTheOptimizerStateFile_IsRefused_AndTheFileKept()
    {
        string model = _temp.PathOf("m.safetensors"), state = TrainCommand.OptimizerPath(model);
        var (code, _, err) = CliRun.TrainSmall(new TrainOptions { SavePath = model });
        Assert.True(code == 0, err);
        byte[] saved = File.ReadAllBytes(state);
        string link = _temp.PathOf("m.onnx");
        File.CreateSymbolicLink(link, "m.safetensors.optimizer");

        foreach (string onnx in new[] { state, link })
        {
            CliRun.AssertExportRefused(model, onnx, $"sharpgrad export: --onnx {onnx} is the optimizer-state file {state} saved beside the model; writing the ONNX file there would destroy it, and --resume with it. Choose another name (e.g. model.onnx).");
        }
        Assert.Equal(saved, File.ReadAllBytes(state));
    }

    [Fact]
    public void Onnx_BesideAModelWithoutOptimizerState_IsWritten()
    {
        string model = _temp.PathOf("m.safetensors");
        var (code, _, err) = CliRun.TrainSmall(new TrainOptions { SavePath = model });
        Assert.True(code == 0, err);
        File.Delete(TrainCommand.OptimizerPath(model));
        string onnx = TrainCommand.OptimizerPath(model); // the name is free now: nothing to destroy
        var stderr = new StringWriter();
        Assert.True(ExportCommand.Run(model, onnx, null, false, new StringWriter(), stderr) == 0, stderr.ToString());
    }
}
