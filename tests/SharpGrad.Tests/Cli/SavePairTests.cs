using SharpGrad.Cli.Train;
using SharpGrad.Data;
using SharpGrad.IO;
using SharpGrad.Tests.Toolkit;

namespace SharpGrad.Tests.Cli;

/// <summary>
/// The model and its optimizer-state file are saved as one (AtomicFile batches). The optimizer state used to be
/// renamed into place first and deleted again when the model then failed: a failed save over an existing pair, such as
/// the one a --resume in place had read, left the old model without any optimizer state, so it could not be resumed.
/// </summary>
[Collection("KernelSettings")]
public sealed class SavePairTests : IDisposable
{
    private readonly TempDirectory _temp = new("sharpgrad-save-pair-");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Batch_Committed_WritesEveryFile()
    {
        using (var batch = AtomicFile.BeginBatch())
        {
            AtomicFile.WriteAllText(_temp.PathOf("a"), "A");
            AtomicFile.WriteAllText(_temp.PathOf("b"), "B");
            Assert.DoesNotContain(Directory.GetFiles(_temp.Path), f => !Path.GetFileName(f).StartsWith('.')); // nothing in place yet
            batch.Commit();
        }
        Assert.Equal(["a", "b"], _temp.Entries());
        Assert.Equal("A", File.ReadAllText(_temp.PathOf("a")));
    }

    [Fact]
    public void Batch_WhoseLaterWriteFails_LeavesEveryTargetAsItWas()
    {
        File.WriteAllText(_temp.PathOf("a"), "old");
        Assert.Throws<IOException>(() =>
        {
            using var batch = AtomicFile.BeginBatch();
            AtomicFile.WriteAllText(_temp.PathOf("a"), "new");
            AtomicFile.WriteAllText(_temp.PathOf("missing/b"), "B");
            batch.Commit();
        });
        Assert.Equal("old", File.ReadAllText(_temp.PathOf("a")));
        Assert.Equal(["a"], _temp.Entries()); // no temporary file left
        AtomicFile.WriteAllText(_temp.PathOf("c"), "C"); // the batch is closed: writes are immediate again
        Assert.Equal("C", File.ReadAllText(_temp.PathOf("c")));
    }

    [Fact]
    public void Batch_OnlyOneAtATime()
    {
        using var batch = AtomicFile.BeginBatch();
        Assert.Throws<InvalidOperationException>(AtomicFile.BeginBatch);
    }

    [Fact]
    public void Save_WhoseModelFails_LeavesTheExistingPairAsItWas()
    {
        // A saved pair, as a --resume in place reads it; then a save whose model cannot be written (its link now
        // leads into a folder that is gone), after its optimizer state could.
        string model = _temp.PathOf("m.safetensors"), state = TrainCommand.OptimizerPath(model);
        var (code, _, stderr) = CliRun.TrainSmall(new TrainOptions { SavePath = model });
        Assert.True(code == 0, stderr);
        byte[] savedState = File.ReadAllBytes(state);
        File.Move(model, _temp.PathOf("kept.safetensors"));
        File.CreateSymbolicLink(model, "gone/m.safetensors");

        var (train, test) = Mnist.LoadEmbedded();
        var trainer = new Trainer(new TrainOptions { Epochs = 1, TrainLimit = 100, Hidden = [4] }.Resolve(), train, test);
        var e = Assert.Throws<IOException>(() => TrainCommand.Save(model, trainer, [], new StringWriter()));

        Assert.StartsWith($"--save {model}: cannot write: the folder {_temp.PathOf("gone")} does not exist", e.Message);
        Assert.Equal(savedState, File.ReadAllBytes(state));
        Assert.Equal(["kept.safetensors", "m.safetensors", "m.safetensors.optimizer"], _temp.Entries()); // no temporary file left
    }
}
