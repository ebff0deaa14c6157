using System.Diagnostics;
using SharpGrad.Data;
using SharpGrad.Nn;
using SharpGrad.Optim;
using Xunit.Abstractions;

namespace SharpGrad.Tests.Toolkit;

/// <summary>End-to-end training on the embedded MNIST sample (8,000 training, 2,000 test digits).</summary>
public class CnnTrainingTests(ITestOutputHelper output)
{
    private static double Accuracy(Module model, Dataset data)
    {
        model.Eval();
        int correct = 0;
        using var _ = Tensor.NoGrad();
        foreach (var batch in new DataLoader(data, 500, shuffle: false, seed: 0).Epoch(0))
        {
            var logits = model.Forward(Tensor.Wrap(batch.Features, batch.Count, data.FeatureSize));
            for (int i = 0; i < batch.Count; i++)
            {
                int best = 0;
                for (int c = 1; c < 10; c++) if (logits[i, c] > logits[i, best]) best = c;
                if (best == batch.Labels[i]) correct++;
            }
        }
        model.Train();
        return correct / (double)data.Count;
    }

    private double Train(Module model, Optimizer optimizer, LrScheduler? schedule, int epochs, int batchSize)
    {
        var (train, test) = Mnist.LoadEmbedded();
        var loader = new DataLoader(train, batchSize, shuffle: true, seed: 42);
        double accuracy = 0;
        for (int e = 0; e < epochs; e++)
        {
            var clock = Stopwatch.StartNew();
            double lossSum = 0;
            int batches = 0;
            foreach (var batch in loader.Epoch(e))
            {
                optimizer.ZeroGrad();
                var loss = Functional.SoftmaxCrossEntropy(model.Forward(Tensor.Wrap(batch.Features, batch.Count, train.FeatureSize)), batch.Labels);
                loss.Backward();
                optimizer.Step();
                lossSum += loss.Item();
                batches++;
            }
            double seconds = clock.Elapsed.TotalSeconds;
            schedule?.Step();
            accuracy = Accuracy(model, test);
            output.WriteLine($"epoch {e + 1}: loss {lossSum / batches:F4}, test accuracy {accuracy:P2}, {seconds:F1} s");
        }
        return accuracy;
    }

    /// <summary>Measured (Release, shared 2-core machine): 98.15 % after epoch 5, 98.35 % after epochs 7 and 8, 11–17 s per epoch.</summary>
    [SlowFact]
    public void Cnn_SgdNesterov_ReachesNinetyEightPercent()
    {
        var model = Models.Cnn(new Generator(1));
        var optimizer = new Sgd(model.Parameters(), 0.05, momentum: 0.9, nesterov: true);
        var schedule = new CosineAnnealingLR(optimizer, tMax: 8);
        Assert.True(Train(model, optimizer, schedule, epochs: 8, batchSize: 32) >= 0.98);
    }

    [SlowFact]
    public void CnnWithBatchNormAndDropout_AdamW_Trains()
    {
        // Measured: 97.6 % after 8 epochs (lr 2e-3, batch 64); the assertion is a sanity floor, not the 98 % target.
        var model = Models.Cnn(new Generator(1), batchNorm: true, dropout: 0.25);
        var optimizer = new AdamW(model.Parameters(), 2e-3);
        var schedule = new CosineAnnealingLR(optimizer, tMax: 8);
        Assert.True(Train(model, optimizer, schedule, epochs: 8, batchSize: 64) >= 0.97);
    }
}
