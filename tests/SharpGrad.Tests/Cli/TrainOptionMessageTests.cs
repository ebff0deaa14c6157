using SharpGrad.Cli.Train;
using SharpGrad.Kernels;
using SharpGrad.Tests.Toolkit;

namespace SharpGrad.Tests.Cli;

/// <summary>What <c>sharpgrad train</c> says about option values it refuses or reduces.</summary>
[Collection("KernelSettings")] // --threads sets the process-wide KernelSettings.Threads
public class TrainOptionMessageTests
{
    [Theory]
    [InlineData(double.PositiveInfinity, "Infinity")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(-1.0, "-1")]
    public void LearningRate_ThatIsNotFiniteAndPositive_IsRefusedAsSuch(double lr, string shown)
    {
        var (code, stdout, stderr) = CliRun.Train(new TrainOptions { LearningRate = lr });
        Assert.Equal(2, code);
        Assert.Equal($"sharpgrad train: --lr must be a finite positive number, not {shown}.", stderr.TrimEnd());
        Assert.Equal("", stdout);
    }

    [Fact]
    public void WeightDecay_Infinity_IsRefusedAsNotFinite()
    {
        var (code, stdout, stderr) = CliRun.Train(new TrainOptions { WeightDecay = double.PositiveInfinity });
        Assert.Equal(2, code);
        Assert.Equal("sharpgrad train: --weight-decay must be a finite non-negative number, not Infinity.", stderr.TrimEnd());
        Assert.Equal("", stdout);
    }

    [Fact]
    public void Threads_AboveTheProcessorCount_AreReducedToIt_WithANote_AndTheBannerShowsTheNumberUsed()
    {
        int processors = Environment.ProcessorCount;
        using var settings = new KernelSettingsScope(); // train sets the process-wide KernelSettings.Threads: restore it
        var (code, stdout, stderr) = CliRun.Train(new TrainOptions { Threads = 100000, Epochs = 1, TrainLimit = 100, Hidden = [4] });
        Assert.Equal(0, code);
        Assert.Equal($"sharpgrad train: note: --threads 100000 is more than the {processors} processor(s) of this machine; using {processors}.", stderr.TrimEnd());
        Assert.Contains($", {processors} thread(s)\n", stdout.ReplaceLineEndings("\n"));
        Assert.Equal(processors, KernelSettings.Threads);
    }

    [Fact]
    public void TrainLimit_AboveTheSamples_IsNotedAndTheDataLineShowsTheSamplesUsed()
    {
        var (code, stdout, stderr) = CliRun.Train(new TrainOptions { TrainLimit = 100000, Epochs = 1, BatchSize = 8000, Hidden = [] });
        Assert.Equal(0, code);
        Assert.Equal("sharpgrad train: note: --train-limit 100000 is more than the 8000 training samples; using 8000.", stderr.TrimEnd());
        Assert.Contains("data: embedded MNIST sample (8000 train, 2000 test)", stdout);
    }

    [Fact]
    public void BatchSize_AboveTheSamplesUsed_IsNotedAndTheBannerShowsTheBatchUsed()
    {
        var (code, stdout, stderr) = CliRun.Train(new TrainOptions { BatchSize = 100000, TrainLimit = 300, Epochs = 1, Hidden = [4] });
        Assert.Equal(0, code);
        Assert.Equal("sharpgrad train: note: --batch-size 100000 is more than the 300 training samples; each epoch is one batch of 300.", stderr.TrimEnd());
        Assert.Contains(", batch 300, ", stdout);
        Assert.DoesNotContain("100000", stdout);
    }

    [Fact]
    public void DefaultBatchSize_AboveASmallTrainLimit_IsNotedAsTheDefault()
    {
        var (code, _, stderr) = CliRun.Train(new TrainOptions { TrainLimit = 40, Epochs = 1, Hidden = [4] });
        Assert.Equal(0, code);
        Assert.Equal("sharpgrad train: note: --batch-size 100 (the default) is more than the 40 training samples; each epoch is one batch of 40.", stderr.TrimEnd());
    }
}
