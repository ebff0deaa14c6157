using System.Text.RegularExpressions;
using SharpGrad.Cli.Train;
using SharpGrad.Tests.Toolkit;

namespace SharpGrad.Tests.Cli;

/// <summary>
/// train estimates the memory a run needs before it allocates the model and refuses, in one line naming the option, a
/// run that would not fit (--hidden 2000000 used to print its banner and be killed by the kernel's out-of-memory
/// killer). The figures below are worked by hand from the layer sizes; the embedded data is 8,000 + 2,000 samples of
/// 784 pixels and a label, 10,000 × 785 × 4 B = 31.4 MB as floats.
/// </summary>
[Collection("KernelSettings")]
public sealed class MemoryEstimateTests
{
    /// <summary>Runs the built command with the garbage collector's heap capped at <paramref name="limit"/> bytes (hex).</summary>
    private static (int Code, string Out, string Err) RunWithHeapLimit(string limit, params string[] arguments) =>
        Shell.RunSharpGrad("env", [$"DOTNET_GCHeapHardLimit={limit}", "dotnet", typeof(TrainCommand).Assembly.Location, .. arguments]);

    [Fact]
    public void AModelFarLargerThanAnyMachine_IsRefusedBeforeItIsAllocated_NamingHidden()
    {
        // 25 layers of 46,340 (each 46,340² = 2,147,395,600 weights, just under a tensor's limit), with Adam:
        // parameters 784·46,340 + 46,340 + 24·(46,340² + 46,340) + 46,340·10 + 10 = 51,575,446,870, 206,301,787,480 B as
        // float32 ("206.3 GB"); weights, gradients and two moments: 4 × that = 825,207,149,920 B.
        // Activations: a training batch of 100 (--train-limit 100) holds 2 values per hidden unit and 2 per class, and
        // as many gradients: 2·100·(25·46,340·2 + 20) = 463,404,000 values; an accuracy batch of 500 holds the input,
        // 2 values per hidden unit and the logits: 500·(784 + 2·1,158,500 + 10) = 1,158,897,000; together
        // 1,622,301,000 values, 6,489,204,000 B ("6.5 GB"). In all 825,207,149,920 + 6,489,204,000 + 31,400,000 =
        // 831,727,753,920 B ("831.7 GB").
        int[] hidden = [.. Enumerable.Repeat(46340, 25)];
        string sizes = string.Join(",", hidden);
        var (code, stdout, stderr) = CliRun.TrainSmall(new TrainOptions { Hidden = TrainCommand.ParseHidden(sizes), Optimizer = "adam" });
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Matches(new Regex(
            "^" + Regex.Escape($"sharpgrad train: --hidden {sizes}: the run needs about 831.7 GB (206.3 GB of weights, the same again for their gradients and twice for Adam's two moment estimates, 6.5 GB for a batch's activations and 31 MB for the data), more than the ") +
            @"\d+(\.\d)? [GM]B" + Regex.Escape(" this process may use; give smaller --hidden sizes.") + "$"), stderr.TrimEnd());
    }

    [Fact]
    public void UnderAHeapLimit_AModerateModelIsRefused_WithEveryFigureExact()
    {
        // --hidden 200000: parameters 784·200,000 + 200,000 + 200,000·10 + 10 = 159,000,010, 636,000,040 B ("636 MB");
        // with gradients and momentum 1,908,000,120 B. Activations: 2·100·(2·200,000 + 20) = 80,004,000 values in
        // training, 500·(784 + 2·200,000 + 10) = 200,397,000 for the accuracy, 1,121,604,000 B ("1.1 GB"). In all
        // 1,908,000,120 + 1,121,604,000 + 31,400,000 = 3,061,004,120 B ("3.1 GB"); the limit is 2³⁰ B ("1.1 GB").
        // (Measured without a limit: the run peaks at 3.06 GB resident.)
        var (code, stdout, stderr) = RunWithHeapLimit("0x40000000", "train", "--hidden", "200000", "--train-limit", "100", "--epochs", "1");
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Equal(
            "sharpgrad train: --hidden 200000: the run needs about 3.1 GB (636 MB of weights, the same again for their gradients and for SGD's momentum, " +
            "1.1 GB for a batch's activations and 31 MB for the data), more than the 1.1 GB this process may use; give smaller --hidden sizes.",
            stderr.TrimEnd());
    }

    [Fact]
    public void TheCnnWithAHugeBatch_IsRefused_NamingBatchSize()
    {
        // The CNN has 16·9 + 16 + 32·16·9 + 32 + 1568·10 + 10 = 20,490 parameters (81,960 B, "under 1 MB"). A sample
        // makes 115,268 values in the forward pass (patches 9·784 and 144·196, four of 16·784 and of 32·196, poolings
        // 16·196 and 32·49, 20 for the logits); training takes 2.5 times that: 2.5·8,000·115,268 = 2,305,360,000 values,
        // the accuracy batch 500·115,268 = 57,634,000; 9,451,976,000 B ("9.5 GB"). In all 3 × 81,960 + 9,451,976,000 +
        // 31,400,000 = 9,483,621,880 B ("9.5 GB"); the limit is 2²⁸ B ("268 MB").
        var (code, stdout, stderr) = RunWithHeapLimit("0x10000000", "train", "--model", "cnn", "--batch-size", "8000", "--epochs", "1");
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Equal(
            "sharpgrad train: --batch-size 8000: the run needs about 9.5 GB (under 1 MB of weights, the same again for their gradients and for SGD's momentum, " +
            "9.5 GB for a batch's activations and 31 MB for the data), more than the 268 MB this process may use; give a smaller --batch-size.",
            stderr.TrimEnd());
    }

    [Fact]
    public void TheDefaultModel_AndAModerateHiddenLayer_StillTrain()
    {
        var (code, _, stderr) = CliRun.Train(new TrainOptions { Epochs = 1, TrainLimit = 100 }); // the default --hidden 100
        Assert.True(code == 0, stderr);
        (code, _, stderr) = CliRun.Train(new TrainOptions { Epochs = 1, TrainLimit = 100, Hidden = [2000] });
        Assert.True(code == 0, stderr);
    }

    [Fact]
    public void TheEstimate_CountsEachOptimizersState()
    {
        // --hidden 100 on the embedded data: 784·100 + 100 + 100·10 + 10 = 79,510 parameters, 318,040 B.
        var (train, test) = SharpGrad.Data.Mnist.LoadEmbedded();
        foreach (var (optimizer, copies) in new[] { ("sgd", 0), ("momentum", 1), ("nesterov", 1), ("adagrad", 1), ("rmsprop", 1), ("adam", 2), ("adamw", 2) })
        {
            var estimate = MemoryEstimate.For(new TrainOptions { Optimizer = optimizer }.Resolve(), train, test);
            Assert.Equal(79_510, estimate.Parameters);
            Assert.Equal(318_040L * (2 + copies), estimate.ModelBytes);
        }
        // Plain SGD with weight decay still makes a velocity buffer per parameter.
        Assert.Equal(318_040L * 3, MemoryEstimate.For(new TrainOptions { Optimizer = "sgd", WeightDecay = 0.1 }.Resolve(), train, test).ModelBytes);
    }
}
