using SharpGrad.IO;
using SharpGrad.Nn;
using SharpGrad.Optim;
using SharpGrad.Tests.Toolkit;

namespace SharpGrad.Tests.IO;

/// <summary>An optimizer's state given where a model is expected is named as such, not as a model "with no architecture".</summary>
public sealed class OptimizerFileAsModelTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void LoadModel_OfAnOptimizerState_SaysWhatTheFileIs()
    {
        var model = Models.Mlp([4], false, 0, new Generator(1), inputs: 6, classes: 3);
        var optimizer = new Sgd(model.Parameters(), 0.1, momentum: 0.9);
        string modelPath = _dir.PathOf("m.safetensors"), statePath = _dir.PathOf("m.safetensors.optimizer");
        model.Save(modelPath);
        optimizer.SaveState(statePath);

        var e = Assert.Throws<SharpGradFormatException>(() => Module.LoadModel(statePath));
        Assert.Contains("this is an optimizer's state (Sgd, written by SaveState), not a model; load the model file it was saved beside", e.Message);
        Assert.Contains(statePath, e.Message);
        Assert.NotNull(Module.LoadModel(modelPath)); // the model file itself still loads
    }
}
