using SharpGrad.Cli.Train;
using SharpGrad.IO;
using SharpGrad.Tests.Toolkit;

namespace SharpGrad.Tests.Cli;

/// <summary>
/// A resume file whose training settings were edited or damaged is refused with one --resume error and exit 2,
/// before training: -5 completed epochs used to print "resumed … after epoch -5" and then a raw two-line exception.
/// </summary>
[Collection("KernelSettings")]
public sealed class TrainResumeMetadataTests : IDisposable
{
    private readonly TempDirectory _temp = new("sharpgrad-resume-meta-");
    private readonly string _model;

    public TrainResumeMetadataTests()
    {
        _model = _temp.PathOf("a3.safetensors");
        var saved = CliRun.Train(new TrainOptions { Epochs = 1, TrainLimit = 100, Hidden = [4], SavePath = _model });
        Assert.True(saved.Code == 0, saved.Err);
    }

    public void Dispose() => _temp.Dispose();

    private string OptimizerFile => _model + ".optimizer";

    /// <summary>Rewrites one setting of the optimizer-state file, keeping its tensors.</summary>
    private void Tamper(string key, string value)
    {
        var file = SafeTensors.Read(OptimizerFile);
        var metadata = new Dictionary<string, string>(file.Metadata) { ["sharpgrad.train." + key] = value };
        SafeTensors.Write(OptimizerFile, file.Tensors, metadata);
    }

    public static TheoryData<string, string, string> DamagedSettings() => new()
    {
        { "epochs_completed", "-5", "a whole number of 0 or more" },
        { "epochs_completed", "two", "a whole number of 0 or more" },
        { "batch_size", "0", "a positive whole number" },
        { "train_limit", "-1", "a positive whole number or empty (every sample)" },
        { "seed", "1.5", "a whole number" },
        { "momentum", "1", "a number in [0, 1)" },
        { "weight_decay", "NaN", "a finite number of 0 or more" },
        { "lr", "-0.1", "a finite positive number" },
        { "dropout", "2", "a number in [0, 1)" },
        { "batch_norm", "yes", "true or false" },
        { "hidden", "4,x", "comma-separated positive layer sizes (or empty)" },
        { "hidden", "0", "comma-separated positive layer sizes (or empty)" },
        { "model", "rnn", "one of mlp, cnn" },
        { "optimizer", "lbfgs", "one of sgd, momentum, nesterov, adagrad, rmsprop, adam, adamw" },
        { "schedule", "warm", "one of none, step, cosine" },
    };

    [Theory]
    [MemberData(nameof(DamagedSettings))]
    public void Resume_WithADamagedSetting_IsOneResumeError_ExitCode2_BeforeTraining(string key, string value, string expected)
    {
        Tamper(key, value);
        string save = _temp.PathOf("b.safetensors");
        var (code, stdout, stderr) = CliRun.Train(new TrainOptions { ResumePath = _model, Epochs = 3, SavePath = save });
        Assert.Equal(2, code);
        Assert.Equal($"sharpgrad train: --resume (its optimizer-state file) {OptimizerFile}: the saved setting 'sharpgrad.train.{key}' is '{value}', not {expected}; the file is damaged or was not written by `sharpgrad train --save`, so the run cannot be resumed.", stderr.TrimEnd());
        Assert.Equal("", stdout);
        Assert.False(File.Exists(save));
    }

    [Fact]
    public void Resume_WithUntamperedSettings_StillContinues()
    {
        var (code, stdout, stderr) = CliRun.Train(new TrainOptions { ResumePath = _model, Epochs = 2 });
        Assert.True(code == 0, stderr);
        Assert.Contains($"resumed from {_model} after epoch 1", stdout);
    }

    [Theory]
    [InlineData("0", 0)] // the epochs say 0, the optimizer has taken the 1 epoch × 1 batch of the saved run
    [InlineData("2", 2)]
    public void Resume_WhoseEpochsDoNotMatchTheOptimizersSteps_IsRefused_BeforeTraining(string epochs, int expected)
    {
        // The saved run: 100 samples in batches of 100 (the default), 1 epoch, so its optimizer took 1 step.
        Tamper("epochs_completed", epochs);
        string save = _temp.PathOf("c.safetensors");
        var (code, stdout, stderr) = CliRun.Train(new TrainOptions { ResumePath = _model, Epochs = 3, SavePath = save });
        Assert.Equal(2, code);
        Assert.Contains($"the optimizer has taken 1 steps, but {expected} epoch(s) of 1 batches make {expected};", stderr);
        Assert.DoesNotContain("train accuracy", stdout); // no epoch ran
        Assert.False(File.Exists(save));
    }

    [Fact]
    public void Resume_WhoseSavedLearningRateIsNotItsLr_IsRefused_WithoutASchedule()
    {
        // Without a schedule training continued at the optimizer's saved rate (here 0.5) while the banner showed --lr 0.05.
        var file = SafeTensors.Read(OptimizerFile);
        Assert.Equal("0.05", file.Metadata["sharpgrad.train.lr"]);
        var metadata = new Dictionary<string, string>(file.Metadata) { [ModelFiles.LearningRateKey] = "0.5" };
        SafeTensors.Write(OptimizerFile, file.Tensors, metadata);
        string save = _temp.PathOf("d.safetensors");
        var (code, stdout, stderr) = CliRun.Train(new TrainOptions { ResumePath = _model, Epochs = 3, SavePath = save });
        Assert.Equal(2, code);
        Assert.Equal(
            $"sharpgrad train: --resume (its optimizer-state file) {OptimizerFile}: the optimizer's saved learning rate 0.5 is not the run's --lr 0.05 (with --schedule none it never changes); the file is damaged or belongs to another run.",
            stderr.TrimEnd());
        Assert.Equal("", stdout);
        Assert.False(File.Exists(save));
    }
}
