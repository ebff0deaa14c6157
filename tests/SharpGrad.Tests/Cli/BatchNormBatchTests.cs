using SharpGrad.Cli.Train;

namespace SharpGrad.Tests.Cli;

/// <summary>
/// <c>train --batch-norm</c> (BatchNorm1d in the MLP) and batches of one sample, whose statistics cannot be computed: the
/// run used to stop in the middle of an epoch (exit 1, "batchNorm: training needs more than one value per channel").
/// </summary>
[Collection("KernelSettings")]
public class BatchNormBatchTests
{
    [Fact]
    public void ALastBatchOfOneSample_IsLeftOut_WithANote()
    {
        // 101 samples in batches of 50: 50, 50 and 1.
        var (code, stdout, stderr) = CliRun.TrainSmall(new TrainOptions { BatchNorm = true, TrainLimit = 101, BatchSize = 50, Epochs = 2 });
        Assert.True(code == 0, stderr);
        Assert.Equal("sharpgrad train: note: 101 training samples in batches of 50 leave a last batch of 1, which --batch-norm cannot train on; each epoch leaves it out and trains on 100.", stderr.TrimEnd());
        Assert.Contains("epoch   2/2", stdout);
    }

    [Fact]
    public void TheTrainerLeavesOutExactlyThatBatch()
    {
        var (train, test) = SharpGrad.Data.Mnist.LoadEmbedded();
        var trainer = new Trainer(new TrainOptions { BatchNorm = true, TrainLimit = 101, BatchSize = 50, Hidden = [4] }, train, test);
        Assert.True(trainer.DropsSingleSampleBatch);
        Assert.Equal([50, 50], trainer.Loader.Epoch(0).Select(b => b.Count));
        var plain = new Trainer(new TrainOptions { TrainLimit = 101, BatchSize = 50, Hidden = [4] }, train, test);
        Assert.False(plain.DropsSingleSampleBatch); // without batch normalisation the batch of one is trained on
        Assert.Equal([50, 50, 1], plain.Loader.Epoch(0).Select(b => b.Count));
    }

    [Theory]
    [InlineData(1, 100, "sharpgrad train: --batch-norm normalises over the batch, which needs at least 2 samples; --batch-size 1 cannot be trained with it.")]
    [InlineData(100, 1, "sharpgrad train: --batch-norm normalises over the batch, which needs at least 2 samples, but there is 1 training sample; raise --train-limit.")]
    public void BatchesOfOneSample_AreRefusedBeforeTraining(int batchSize, int trainLimit, string message)
    {
        CliRun.AssertTrainRefused(new TrainOptions { BatchNorm = true, BatchSize = batchSize, TrainLimit = trainLimit }, message);
    }

    [Fact]
    public void TheCnnWithBatchNorm_TakesBatchesOfOne()
    {
        // BatchNorm2d has H×W values per channel even in a batch of one, so nothing is refused or left out.
        var (train, test) = SharpGrad.Data.Mnist.LoadEmbedded();
        var trainer = new Trainer(new TrainOptions { Model = "cnn", BatchNorm = true, BatchSize = 1, TrainLimit = 3 }, train, test);
        Assert.False(trainer.DropsSingleSampleBatch);
        Assert.Equal([1, 1, 1], trainer.Loader.Epoch(0).Select(b => b.Count));
    }
}
