using SharpGrad.Cli.Reports;
using SharpGrad.Cli.Train;
using SharpGrad.Data;
using SharpGrad.Tests.Toolkit;

namespace SharpGrad.Tests.Cli;

/// <summary>
/// An output file marked immutable (chattr +i) cannot be replaced, not even by root, though its folder takes new
/// files. train used to find out only when renaming after the training, and then split the set: --save replaced the
/// optimizer state beside the old, immutable model (or created one beside it), and a report mixed new and old files;
/// the message blamed the folder ("permission denied in …"), which was writable. Now train refuses such an output
/// before training, and a save or report that meets one anyway (marked during the run) changes none of its files.
/// </summary>
[Collection("KernelSettings")]
public sealed class ImmutableOutputTests : IDisposable
{
    private readonly TempDirectory _temp = new("sharpgrad-immutable-");

    public void Dispose() => _temp.Dispose();

    private static readonly List<EpochResult> History = [new(1, 0.5, 0.8, 0.7, 1, 100)];

    /// <summary>A model saved by a short run, with its optimizer-state file, or without when <paramref name="withState"/> is false.</summary>
    private (string Model, string State) SavedPair(bool withState = true)
    {
        string model = _temp.PathOf("pair.st"), state = TrainCommand.OptimizerPath(model);
        var (code, _, stderr) = CliRun.TrainSmall(new TrainOptions { SavePath = model });
        Assert.True(code == 0, stderr);
        if (!withState) File.Delete(state);
        return (model, state);
    }

    [ChattrFact]
    public void Train_SavingOverAnImmutableModel_IsRefusedBeforeTraining()
    {
        var (model, state) = SavedPair();
        string[] before = FileHashes.Of([model, state]);
        using (Chattr.Immutable(model))
        {
            CliRun.AssertTrainRefused(new TrainOptions { SavePath = model },
                $"sharpgrad train: --save {model}: the file is immutable (chattr +i), so not even root may replace it; clear that with chattr -i or give another name.");
            Assert.Equal(before, FileHashes.Of([model, state]));
        }
        Assert.Equal(["pair.st", "pair.st.optimizer"], _temp.Entries());
    }

    [ChattrFact]
    public void Save_OverAnImmutableModel_LeavesThePairAsItWas()
    {
        // As if the model was marked during the training, after the checks: the save itself must change neither file.
        var (model, state) = SavedPair();
        string[] before = FileHashes.Of([model, state]);
        var (train, test) = Mnist.LoadEmbedded();
        var trainer = new Trainer(new TrainOptions { Epochs = 1, TrainLimit = 100, Hidden = [4], Seed = 7 }.Resolve(), train, test);
        IOException e;
        using (Chattr.Immutable(model))
        {
            e = Assert.Throws<IOException>(() => TrainCommand.Save(model, trainer, [], new StringWriter()));
            Assert.Equal(before, FileHashes.Of([model, state]));
        }
        Assert.Equal($"--save {model}: cannot replace it (permission denied: the file itself is marked immutable, chattr +i).", e.Message);
        Assert.Equal(["pair.st", "pair.st.optimizer"], _temp.Entries());
    }

    [ChattrFact]
    public void Save_OverAnImmutableModelWithoutState_CreatesNoStateBesideIt()
    {
        var (model, state) = SavedPair(withState: false);
        string[] before = FileHashes.Of([model]);
        var (train, test) = Mnist.LoadEmbedded();
        var trainer = new Trainer(new TrainOptions { Epochs = 1, TrainLimit = 100, Hidden = [4] }.Resolve(), train, test);
        using (Chattr.Immutable(model))
            Assert.Throws<IOException>(() => TrainCommand.Save(model, trainer, [], new StringWriter()));
        Assert.Equal(before, FileHashes.Of([model]));
        Assert.False(File.Exists(state), "an optimizer state was created beside the old model");
        Assert.Equal(["pair.st"], _temp.Entries());
    }

    [ChattrFact]
    public void Train_ReportOverAnImmutableFile_IsRefusedBeforeTraining()
    {
        string report = _temp.PathOf("rep");
        var (code, _, stderr) = CliRun.TrainSmall(new TrainOptions { ReportDirectory = report });
        Assert.True(code == 0, stderr);
        string[] files = [.. TrainingReport.FileNames.Select(name => Path.Combine(report, name))];
        string[] before = FileHashes.Of(files);
        string locked = files[^1];
        using (Chattr.Immutable(locked))
        {
            CliRun.AssertTrainRefused(new TrainOptions { ReportDirectory = report },
                $"sharpgrad train: --report (its {TrainingReport.FileNames[^1]}) {locked}: the file is immutable (chattr +i), so not even root may replace it; clear that with chattr -i or give another name.");
            // Written anyway (marked during the run): no file of the report changes.
            var e = Assert.Throws<IOException>(() => TrainingReport.Write(report, [new(1, 0.1, 0.9, 0.9, 1, 100)], new int[10, 10], "t"));
            Assert.Equal($"{locked}: cannot replace it (permission denied: the file itself is marked immutable, chattr +i).", e.Message);
            Assert.Equal(before, FileHashes.Of(files));
        }
        Assert.Equal(TrainingReport.FileNames.Order(), TempDirectory.EntriesOf(report));
    }
}
