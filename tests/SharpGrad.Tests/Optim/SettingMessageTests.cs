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
    public void Schedulers_InfiniteSettings_AreRefusedAtConstruction()
    {
        // They were accepted, and the first Step() failed with the optimizer's "learning rate must be a finite number ≥ 0,
        // not Infinity (Parameter 'value')" (γ = ∞) or "not NaN" (η_min = ∞: ∞ + (lr₀ − ∞)·… is NaN).
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new StepLR(Optimizer(), stepSize: 1, gamma: double.PositiveInfinity));
        Assert.Equal("StepLR: γ must be a finite positive number, not Infinity. (Parameter 'gamma')", e.Message);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => new StepLR(Optimizer(), stepSize: 1, gamma: double.NaN));
        Assert.Equal("StepLR: γ must be a finite positive number, not NaN. (Parameter 'gamma')", e.Message);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => new CosineAnnealingLR(Optimizer(), tMax: 2, etaMin: double.PositiveInfinity));
        Assert.Equal("CosineAnnealingLR: η_min must be a finite non-negative number, not Infinity. (Parameter 'etaMin')", e.Message);

        // Finite settings: lr₀ = 0.1, η_min = 0.02, T_max = 2: after one epoch 0.02 + 0.08·(1 + cos(π/2))/2 = 0.06.
        var optimizer = Optimizer();
        new CosineAnnealingLR(optimizer, tMax: 2, etaMin: 0.02).Step();
        Assert.Equal(0.06, optimizer.LearningRate, 15);
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
    public void Dataset_ClassCountOrSampleShapeBelowOne_OrTooLarge()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Dataset([1f, 2f], [0, 0], [1], classCount: 0));
        Assert.Equal("Dataset: the class count must be at least 1, not 0. (Parameter 'classCount')", e.Message);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => new Dataset([], [], [3, 0], classCount: 2));
        Assert.Equal("Dataset: every dimension of the sample shape [3, 0] must be at least 1. (Parameter 'sampleShape')", e.Message);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => new Dataset([], [], [65536, 65536], classCount: 2));
        Assert.Equal($"Dataset: a sample of shape [65536, 65536] holds more than the {Array.MaxLength} values an array can. (Parameter 'sampleShape')", e.Message);
        Assert.Equal(6, new Dataset(new float[12], [0, 1], [2, 3], classCount: 2).FeatureSize);
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
