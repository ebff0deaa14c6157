using SharpGrad.Cli.Train;
using SharpGrad.Data;
using SharpGrad.Kernels;
using SharpGrad.Tests.Toolkit;

namespace SharpGrad.Tests.Hardening;

[Collection("KernelSettings")]
public class DeterminismTests
{
    private static float[][] TrainedWeights(int threads, int seed)
    {
        using var settings = new KernelSettingsScope(threads);
        var (train, test) = Mnist.LoadEmbedded();
        // Wide enough (batch 100 × 784 × 256) that matrix products are split across threads.
        var trainer = new Trainer(new TrainOptions { Epochs = 1, TrainLimit = 400, BatchSize = 100, Hidden = [256], Seed = seed }, train, test);
        trainer.RunEpoch(0);
        trainer.RunEpoch(1);
        return trainer.Model.Parameters().Select(p => p.ToFloatArray()).ToArray();
    }

    [Fact]
    public void SameSeed_GivesBitIdenticalWeights_OnOneAndTwoThreads()
    {
        var one = TrainedWeights(1, 5);
        var two = TrainedWeights(2, 5);
        var again = TrainedWeights(2, 5);
        for (int i = 0; i < one.Length; i++)
        {
            Assert.Equal(one[i].Select(BitConverter.SingleToInt32Bits), two[i].Select(BitConverter.SingleToInt32Bits));
            Assert.Equal(two[i].Select(BitConverter.SingleToInt32Bits), again[i].Select(BitConverter.SingleToInt32Bits));
        }
    }

    [Fact]
    public void DifferentSeeds_GiveDifferentWeights()
    {
        Assert.NotEqual(TrainedWeights(1, 5)[0], TrainedWeights(1, 6)[0]);
    }
}
