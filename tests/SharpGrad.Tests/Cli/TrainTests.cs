using System.Text.RegularExpressions;
using SharpGrad.Cli.Train;
using SharpGrad.Data;
using SharpGrad.Tests.Toolkit;

namespace SharpGrad.Tests.Cli;

[Collection("KernelSettings")] // runs apart from tests that switch kernel paths, so results are reproducible
public class TrainTests
{
    private static readonly (Dataset Train, Dataset Test) Sample = Mnist.LoadEmbedded();

    [Fact]
    public void ShortRun_OnAFewHundredDigits_LossFalls()
    {
        var options = new TrainOptions { Epochs = 3, TrainLimit = 400, BatchSize = 50, Hidden = [32], Seed = 7 };
        var trainer = new Trainer(options, Sample.Train, Sample.Test);
        var first = trainer.RunEpoch(0);
        trainer.RunEpoch(1);
        var third = trainer.RunEpoch(2);
        Assert.True(third.TrainLoss < 0.6 * first.TrainLoss, $"loss {first.TrainLoss} → {third.TrainLoss}");
        Assert.True(third.TestAccuracy > 0.6, $"test accuracy {third.TestAccuracy}"); // chance is 0.1
    }

    [Fact]
    public void EveryParameter_HasItsGradientBuffer_BeforeTheFirstStep_WhichWritesIntoIt()
    {
        // The first backward used to compute each weight gradient into a temporary and copy it into a new buffer: two
        // weight-sized arrays at once, the temporary left idle in the buffer pool for the rest of the run.
        var trainer = new Trainer(new TrainOptions { Epochs = 1, TrainLimit = 100, BatchSize = 100, Hidden = [8] }, Sample.Train, Sample.Test);
        var parameters = trainer.Model.Parameters().ToArray();
        Assert.Equal(4, parameters.Length); // 784 → 8 and 8 → 10, weights and biases
        var buffers = parameters.Select(p => p.Grad).ToArray();
        for (int i = 0; i < parameters.Length; i++)
        {
            Assert.NotNull(buffers[i]);
            Assert.Equal(parameters[i].Shape, buffers[i]!.Shape);
            Assert.All(buffers[i]!.ToFloatArray(), v => Assert.Equal(0f, v));
        }

        trainer.RunEpoch(0); // one batch of 100: one step
        for (int i = 0; i < parameters.Length; i++)
        {
            Assert.Same(buffers[i], parameters[i].Grad);
            Assert.Contains(parameters[i].Grad!.ToFloatArray(), v => v != 0);
        }
    }

    [Fact]
    public void SameSeed_GivesSameAccuracy_AndLastLineHasTheRequiredForm()
    {
        var options = new TrainOptions { Epochs = 1, TrainLimit = 300, BatchSize = 30, Hidden = [16], Seed = 3 };
        string Run()
        {
            var stdout = new StringWriter();
            Assert.Equal(0, TrainCommand.Run(options, stdout, new StringWriter(), interactive: false));
            return stdout.ToString().TrimEnd().Split('\n')[^1];
        }
        string a = Run(), b = Run();
        Assert.Matches(new Regex(@"^test accuracy: 0\.\d{4}$"), a);
        Assert.Equal(a, b);
    }

    [Fact]
    public void MissingDataFolder_GivesExitCode2AndNamesThePath()
    {
        var stderr = new StringWriter();
        var code = TrainCommand.Run(new TrainOptions { DataDirectory = "/nonexistent/mnist", Epochs = 1 }, new StringWriter(), stderr, interactive: false);
        Assert.Equal(2, code);
        Assert.Contains("/nonexistent/mnist", stderr.ToString());
    }

    [Theory]
    [InlineData("256,128", new[] { 256, 128 })]
    [InlineData(" 10 ", new[] { 10 })]
    [InlineData("", new int[0])]
    public void ParseHidden_ReadsLayerSizes(string text, int[] expected) => Assert.Equal(expected, TrainCommand.ParseHidden(text));

    [Theory]
    [InlineData("0")]
    [InlineData("12,x")]
    [InlineData("-3")]
    public void ParseHidden_RejectsBadSizes(string text) =>
        Assert.Contains("--hidden", Assert.Throws<ArgumentException>(() => TrainCommand.ParseHidden(text)).Message);

    [Fact]
    public void ParseHidden_RefusesALayerTooLargeForATensor_NamingIt()
    {
        // 50,000 × 50,000 = 2,500,000,000 weights > 2,147,483,647; 46,340² = 2,147,395,600 still fits.
        Assert.Equal([46340, 46340], TrainCommand.ParseHidden("46340,46340"));
        var e = Assert.Throws<ArgumentException>(() => TrainCommand.ParseHidden("100,50000,50000"));
        Assert.Equal("--hidden 100,50000,50000: the layer 50000 → 50000 would have 2,500,000,000 weights, more than a tensor holds (2,147,483,647).", e.Message);
    }

    [Fact]
    public void AFirstLayerTooLargeForATensor_IsNamedUnderHidden_OnAMachineWithMemoryForIt()
    {
        // 784 × 3,000,000 = 2,352,000,000 weights > 2,147,483,647. With the default heap the memory estimate refuses it
        // first; with a 1 TB heap limit it reached the library's bare "Shape [3000000, 784] has more than …".
        var (code, stdout, stderr) = Shell.RunSharpGrad("env", "DOTNET_GCHeapHardLimit=0x10000000000", "dotnet", typeof(TrainCommand).Assembly.Location, "train", "--hidden", "3000000");
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Equal("sharpgrad train: --hidden 3000000: the layer 784 → 3000000 would have 2,352,000,000 weights, more than a tensor holds (2,147,483,647).", stderr.TrimEnd());
    }

    [Fact]
    public async Task AnEpochCountTooLargeForAWholeNumber_SaysTheLimit()
    {
        // The parser's own message, through the real entry point: the built command in a process of its own.
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in (string[])[typeof(TrainCommand).Assembly.Location, "train", "--epochs", "99999999999"]) start.ArgumentList.Add(a);
        using var process = System.Diagnostics.Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(), stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(limit.Token);
        Assert.Equal(2, process.ExitCode);
        Assert.Equal("", await stdout);
        Assert.StartsWith("sharpgrad train: Cannot parse argument '99999999999' for option '--epochs' as a whole number (at most 2147483647).", await stderr);
    }
}

[Collection("KernelSettings")]
public class TrainSaveResumeTests : IDisposable
{
    private readonly TempDirectory _temp = new("sharpgrad-train-");

    public void Dispose() => _temp.Dispose();

    private static string LastLine(StringWriter w) => w.ToString().TrimEnd().Split('\n')[^1];

    [Fact]
    public void SaveThenResume_EqualsOneUninterruptedRun()
    {
        var common = new TrainOptions { TrainLimit = 300, BatchSize = 50, Hidden = [16], Seed = 4, Optimizer = "adam" };
        string path = _temp.PathOf("m.safetensors");

        var straight = new StringWriter();
        Assert.Equal(0, TrainCommand.Run(common with { Epochs = 3 }, straight, new StringWriter(), interactive: false));

        Assert.Equal(0, TrainCommand.Run(common with { Epochs = 2, SavePath = path }, new StringWriter(), new StringWriter(), interactive: false));
        Assert.True(File.Exists(path) && File.Exists(TrainCommand.OptimizerPath(path)));
        var resumed = new StringWriter();
        Assert.Equal(0, TrainCommand.Run(common with { Epochs = 3, ResumePath = path }, resumed, new StringWriter(), interactive: false));

        Assert.Contains("resumed from", resumed.ToString());
        Assert.Equal(LastLine(straight), LastLine(resumed));
    }

    [Fact]
    public void Resume_WithASchedule_SaysTheScheduleIsSpreadOverTheNewEpochs()
    {
        // A cosine schedule over --epochs: the saved 2 epochs ran with T_max = 2, the continued one with T_max = 3,
        // from lr₀·(1 + cos(2π/3))/2. An uninterrupted 3-epoch run would have used T_max = 3 throughout.
        var common = new TrainOptions { TrainLimit = 200, BatchSize = 100, Hidden = [8], Schedule = "cosine" };
        string path = _temp.PathOf("cos.safetensors");
        Assert.Equal(0, TrainCommand.Run(common with { Epochs = 2, SavePath = path }, new StringWriter(), new StringWriter(), interactive: false));
        var stderr = new StringWriter();
        Assert.Equal(0, TrainCommand.Run(common with { Epochs = 3, ResumePath = path }, new StringWriter(), stderr, interactive: false));
        string lr = (0.05 * (1 + Math.Cos(Math.PI * 2 / 3)) / 2).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(
            $"sharpgrad train: note: --schedule cosine spreads over all the epochs: the 2 saved epoch(s) followed a 2-epoch schedule, the rest follow a 3-epoch one (from lr {lr}), so the result differs from one uninterrupted 3-epoch run.",
            stderr.ToString().TrimEnd());

        // Without a schedule there is nothing to say: the resumed run is the uninterrupted one.
        string plain = _temp.PathOf("plain.safetensors");
        Assert.Equal(0, TrainCommand.Run(common with { Schedule = "none", Epochs = 1, SavePath = plain }, new StringWriter(), new StringWriter(), interactive: false));
        var quiet = new StringWriter();
        Assert.Equal(0, TrainCommand.Run(common with { Schedule = null, Epochs = 2, ResumePath = plain }, new StringWriter(), quiet, interactive: false));
        Assert.Equal("", quiet.ToString());
    }

    [Fact]
    public void SaveThenResume_WithDropout_GivesBitIdenticalWeights()
    {
        // Dropout draws a fresh mask every step: the resumed run must continue the saved random state, not restart it.
        var common = new TrainOptions { TrainLimit = 200, BatchSize = 50, Hidden = [16], Seed = 9, Dropout = 0.3 };
        string straight = _temp.PathOf("straight.safetensors"), half = _temp.PathOf("half.safetensors"), resumed = _temp.PathOf("resumed.safetensors");
        Assert.Equal(0, TrainCommand.Run(common with { Epochs = 2, SavePath = straight }, new StringWriter(), new StringWriter(), interactive: false));
        Assert.Equal(0, TrainCommand.Run(common with { Epochs = 1, SavePath = half }, new StringWriter(), new StringWriter(), interactive: false));
        var stderr = new StringWriter();
        Assert.Equal(0, TrainCommand.Run(common with { Epochs = 2, ResumePath = half, SavePath = resumed }, new StringWriter(), stderr, interactive: false));

        var a = SharpGrad.IO.SafeTensors.Read(straight).ToDictionary();
        var b = SharpGrad.IO.SafeTensors.Read(resumed).ToDictionary();
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        foreach (var name in a.Keys)
            Assert.Equal(a[name].ToFloatArray().Select(BitConverter.SingleToInt32Bits), b[name].ToFloatArray().Select(BitConverter.SingleToInt32Bits));
        Assert.NotEqual(SharpGrad.IO.SafeTensors.Read(half).ToDictionary()["1.weight"].ToFloatArray(), a["1.weight"].ToFloatArray()); // the second epoch changed something
    }

    [Fact]
    public void Resume_FromMissingOrBrokenFile_GivesExitCode2()
    {
        var stderr = new StringWriter();
        Assert.Equal(2, TrainCommand.Run(new TrainOptions { ResumePath = _temp.PathOf("none.safetensors") }, new StringWriter(), stderr, interactive: false));
        Assert.Contains("none.safetensors", stderr.ToString());

        string broken = _temp.PathOf("broken.safetensors");
        File.WriteAllBytes(broken, [1, 2, 3]);
        stderr = new StringWriter();
        Assert.Equal(2, TrainCommand.Run(new TrainOptions { ResumePath = broken }, new StringWriter(), stderr, interactive: false));
        Assert.Contains("broken.safetensors", stderr.ToString());
    }

    [Theory]
    [InlineData("--model", "rnn")]
    [InlineData("--optimizer", "lbfgs")]
    [InlineData("--schedule", "linear")]
    public void UnknownChoice_IsRejectedNamingTheOption(string option, string value)
    {
        var options = option switch
        {
            "--model" => new TrainOptions { Model = value },
            "--optimizer" => new TrainOptions { Optimizer = value },
            _ => new TrainOptions { Schedule = value },
        };
        var ex = Assert.Throws<ArgumentException>(() => options.Resolve());
        Assert.Contains(option, ex.Message);
        Assert.Contains(value, ex.Message);
    }
}

[Collection("KernelSettings")]
public class TrainResumeSettingsTests : IDisposable
{
    private readonly TempDirectory _temp = new("sharpgrad-resume-");

    public void Dispose() => _temp.Dispose();

    private string Saved()
    {
        string path = _temp.PathOf("half.safetensors");
        var options = new TrainOptions { Epochs = 2, TrainLimit = 200, BatchSize = 50, Hidden = [8], SavePath = path };
        Assert.Equal(0, TrainCommand.Run(options, new StringWriter(), new StringWriter(), interactive: false));
        return path;
    }

    [Fact]
    public void Resume_WithoutSettings_TakesTheSavedOnes_AndCountsEpochsFromTheFile()
    {
        string path = Saved();
        var stdout = new StringWriter();
        Assert.Equal(0, TrainCommand.Run(new TrainOptions { Epochs = 3, ResumePath = path }, stdout, new StringWriter(), interactive: false));
        Assert.Contains("after epoch 2", stdout.ToString());
        Assert.Contains("batch 50", stdout.ToString());
        Assert.Contains("epoch   3/3", stdout.ToString());
        Assert.DoesNotContain("epoch   1/3", stdout.ToString());
    }

    [Theory]
    [InlineData("batch")]
    [InlineData("limit")]
    [InlineData("model")]
    [InlineData("lr")]
    [InlineData("hidden")]
    [InlineData("dropout")]
    [InlineData("batchnorm")]
    [InlineData("momentum")]
    [InlineData("weightdecay")]
    public void Resume_WithConflictingSetting_IsRejectedBeforeTraining(string which)
    {
        string path = Saved();
        var options = which switch
        {
            "batch" => new TrainOptions { Epochs = 3, ResumePath = path, BatchSize = 400 },
            "limit" => new TrainOptions { Epochs = 3, ResumePath = path, TrainLimit = 1000 },
            "lr" => new TrainOptions { Epochs = 3, ResumePath = path, LearningRate = 5 },
            "hidden" => new TrainOptions { Epochs = 3, ResumePath = path, Hidden = [50] },
            "dropout" => new TrainOptions { Epochs = 3, ResumePath = path, Dropout = 0.2 },
            "batchnorm" => new TrainOptions { Epochs = 3, ResumePath = path, BatchNorm = true },
            "momentum" => new TrainOptions { Epochs = 3, ResumePath = path, Momentum = 0.9 + 0.05 }, // the saved run used the default 0.9
            "weightdecay" => new TrainOptions { Epochs = 3, ResumePath = path, WeightDecay = 0.01 },
            _ => new TrainOptions { Epochs = 3, ResumePath = path, Model = "cnn" },
        };
        var stderr = new StringWriter();
        var stdout = new StringWriter();
        Assert.Equal(2, TrainCommand.Run(options, stdout, stderr, interactive: false));
        Assert.Contains("--resume continues the saved run", stderr.ToString());
        Assert.DoesNotContain("epoch", stdout.ToString());
    }

    [Fact]
    public void Resume_OfARunWithoutTrainLimit_GivenOne_SaysTheSavedRunUsedAllSamples()
    {
        string path = _temp.PathOf("all.safetensors");
        Assert.Equal(0, TrainCommand.Run(new TrainOptions { Epochs = 1, BatchSize = 500, Hidden = [4], SavePath = path }, new StringWriter(), new StringWriter(), interactive: false));
        var stderr = new StringWriter();
        Assert.Equal(2, TrainCommand.Run(new TrainOptions { Epochs = 2, ResumePath = path, TrainLimit = 100 }, new StringWriter(), stderr, interactive: false));
        Assert.Contains("all training samples (no --train-limit); --train-limit 100 would change it", stderr.ToString());
        Assert.DoesNotContain("-1", stderr.ToString());
    }

    [Fact]
    public void Resume_GivenTheSavedValuesAgain_IsAccepted()
    {
        string path = Saved();
        var stderr = new StringWriter();
        Assert.Equal(0, TrainCommand.Run(new TrainOptions { Epochs = 3, ResumePath = path, Hidden = [8], Momentum = 0.9, Dropout = 0, BatchNorm = false }, new StringWriter(), stderr, interactive: false));
        Assert.Equal("", stderr.ToString());
    }

    [Theory]
    [InlineData("cnn-hidden")]
    [InlineData("adam-momentum")]
    public void OptionsTheChosenModelOrOptimizerDoesNotUse_AreRejected(string which)
    {
        var options = which == "cnn-hidden" ? new TrainOptions { Model = "cnn", Hidden = [50] } : new TrainOptions { Optimizer = "adam", Momentum = 0.5 };
        var stderr = new StringWriter();
        Assert.Equal(2, TrainCommand.Run(options, new StringWriter(), stderr, interactive: false));
        Assert.Contains(which == "cnn-hidden" ? "--hidden sets the layers of --model mlp" : "--momentum is used by --optimizer momentum and nesterov", stderr.ToString());
    }

    [Fact]
    public void AdamW_WeightDecayZero_IsHonoured_AndTheDefaultIsOneHundredth()
    {
        var sample = Mnist.LoadEmbedded();
        var given = new Trainer(new TrainOptions { Optimizer = "adamw", WeightDecay = 0, Hidden = [4], TrainLimit = 100 }, sample.Train, sample.Test);
        Assert.Equal(0, ((SharpGrad.Optim.AdamW)given.Optimizer).WeightDecay);
        var defaulted = new Trainer(new TrainOptions { Optimizer = "adamw", Hidden = [4], TrainLimit = 100 }, sample.Train, sample.Test);
        Assert.Equal(0.01, ((SharpGrad.Optim.AdamW)defaulted.Optimizer).WeightDecay);
    }

    [Fact]
    public void SaveAndReportOnTheSamePath_OrAnOptimizerPathThatIsAFolder_AreRejectedBeforeTraining()
    {
        string both = _temp.PathOf("x");
        var stderr = new StringWriter();
        var stdout = new StringWriter();
        Assert.Equal(2, TrainCommand.Run(new TrainOptions { SavePath = both, ReportDirectory = both, TrainLimit = 100 }, stdout, stderr, interactive: false));
        Assert.Contains("--save and --report both name", stderr.ToString());
        string model = _temp.PathOf("m.safetensors");
        Directory.CreateDirectory(TrainCommand.OptimizerPath(model));
        Assert.Equal(2, TrainCommand.Run(new TrainOptions { SavePath = model, TrainLimit = 100 }, stdout, stderr, interactive: false));
        Assert.Contains("optimizer-state file", stderr.ToString());
        Assert.DoesNotContain("epoch", stdout.ToString());
    }

    [Fact]
    public void BadOutputPaths_AreRejectedBeforeTraining()
    {
        var stderr = new StringWriter();
        var stdout = new StringWriter();
        Assert.Equal(2, TrainCommand.Run(new TrainOptions { SavePath = Path.Combine(_temp.Path, "no", "such", "m.safetensors") }, stdout, stderr, interactive: false));
        Assert.Contains("does not exist", stderr.ToString());
        Assert.Equal(2, TrainCommand.Run(new TrainOptions { SavePath = _temp.Path }, stdout, stderr, interactive: false));
        Assert.Contains("is a folder", stderr.ToString());
        string file = _temp.PathOf("afile");
        File.WriteAllText(file, "x");
        Assert.Equal(2, TrainCommand.Run(new TrainOptions { ReportDirectory = file }, stdout, stderr, interactive: false));
        Assert.Contains("is a file", stderr.ToString());
        Assert.DoesNotContain("epoch", stdout.ToString());
    }

    [Fact]
    public void ReportFolder_IsNotCreatedByARunThatFailsBeforeWritingIt_AndOneUnderAFileIsRejected()
    {
        var stderr = new StringWriter();
        var stdout = new StringWriter();
        string report = Path.Combine(_temp.Path, "new", "report");
        Assert.Equal(2, TrainCommand.Run(new TrainOptions { ReportDirectory = report, DataDirectory = _temp.PathOf("no-data") }, stdout, stderr, interactive: false));
        Assert.False(Directory.Exists(_temp.PathOf("new")), "a failed run left the report folder behind");
        string file = _temp.PathOf("plain");
        File.WriteAllText(file, "x");
        Assert.Equal(2, TrainCommand.Run(new TrainOptions { ReportDirectory = Path.Combine(file, "report") }, stdout, stderr, interactive: false));
        Assert.Contains($"({file} is a file)", stderr.ToString());
    }

    [Fact]
    public void MseLoss_WithDifferentShapes_NamesBoth()
    {
        var ex = Assert.Throws<ArgumentException>(() => Functional.MseLoss(Tensor.Zeros(3, 1), Tensor.Zeros(3)));
        Assert.Contains("[3, 1]", ex.Message);
        Assert.Contains("[3]", ex.Message);
    }
}
