using SharpGrad.Data;
using SharpGrad.Optim;

namespace SharpGrad.Tests.Optim;

/// <summary>
/// Out-of-range settings of the schedulers and the data loader are refused in one line that names the class, the setting
/// and the value given (they passed .NET's two-line "must be greater than or equal to '1'. Actual value was 0." through).
/// </summary>
public sealed class SettingMessageTests
{
    private static Sgd Optimizer() => new([Tensor.Zeros(2).WithRequiresGrad()], 0.1);

    private static Dataset TwoSamples() => new([1f, 2f], [0, 1], [1], classCount: 2);

    [Fact]
    public void StepLR_StepSizeBelowOne()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new StepLR(Optimizer(), stepSize: 0));
        Assert.Equal("StepLR: the step size (epochs between decays) must be at least 1, not 0. (Parameter 'stepSize')", e.Message);
    }

    [Fact]
    public void CosineAnnealingLR_TMaxBelowOne()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new CosineAnnealingLR(Optimizer(), tMax: -3));
        Assert.Equal("CosineAnnealingLR: T_max (epochs of one half-period) must be at least 1, not -3. (Parameter 'tMax')", e.Message);
    }

    [Fact]
    public void Scheduler_NegativeEpoch_KeepsTheLearningRate()
    {
        var optimizer = Optimizer();
        var schedule = new StepLR(optimizer, stepSize: 1, gamma: 0.5);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => schedule.Epoch = -1);
        Assert.Equal("The scheduler's epoch must be 0 or more, not -1. (Parameter 'Epoch')", e.Message);
        Assert.Equal(0.1, optimizer.LearningRate);
    }

    [Fact]
    public void DataLoader_BatchSizeBelowOne_AndNegativeEpoch()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new DataLoader(TwoSamples(), 0, shuffle: false, seed: 0));
        Assert.Equal("DataLoader: the batch size must be at least 1, not 0. (Parameter 'batchSize')", e.Message);
        var loader = new DataLoader(TwoSamples(), 1, shuffle: true, seed: 0);
        Assert.Equal("DataLoader: the epoch number must be 0 or more, not -2. (Parameter 'epoch')", Assert.Throws<ArgumentOutOfRangeException>(() => loader.GetOrder(-2)).Message);
        Assert.Equal("DataLoader: the epoch number must be 0 or more, not -2. (Parameter 'epoch')", Assert.Throws<ArgumentOutOfRangeException>(() => loader.Epoch(-2)).Message);
    }
}
