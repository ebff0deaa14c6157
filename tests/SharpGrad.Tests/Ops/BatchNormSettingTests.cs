using SharpGrad.Nn;

namespace SharpGrad.Tests.Ops;

/// <summary>
/// Functional.BatchNorm checks its momentum, ε and operand dtypes, as the BatchNorm layers check theirs at
/// construction. Unchecked, a NaN momentum silently turned the running estimates into NaN, a negative ε made every
/// output NaN, and a Float64 input to a Float32 layer was reported by an inner mul as "[4, 3] and [1, 3]".
/// </summary>
public sealed class BatchNormSettingTests
{
    private static Tensor Input() => Tensor.FromArray(new float[] { 1, 2, 3, 5, 6, 7 }, 2, 3);

    [Fact]
    public void NaNMomentum_IsRefused_AndTheRunningEstimatesAreLeftAlone()
    {
        var mean = Tensor.Zeros(3);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Functional.BatchNorm(Input(), mean, Tensor.Ones(3), null, null, training: true, momentum: double.NaN));
        Assert.Equal("batchNorm: the momentum must be in [0, 1], not NaN. (Parameter 'momentum')", e.Message);
        Assert.Equal([0f, 0f, 0f], mean.ToFloatArray());
    }

    [Theory]
    [InlineData(-1.0, "-1")]
    [InlineData(0.0, "0")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    public void EpsilonThatIsNotFiniteAndPositive_IsRefused(double epsilon, string shown)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Functional.BatchNorm(Input(), Tensor.Zeros(3), Tensor.Ones(3), null, null, training: false, epsilon: epsilon));
        Assert.Equal($"batchNorm: ε must be a finite positive number, not {shown}. (Parameter 'epsilon')", e.Message);
        var layer = Assert.Throws<ArgumentOutOfRangeException>(() => new BatchNorm1d(3, epsilon: double.PositiveInfinity));
        Assert.Equal("ε must be a finite positive number, not Infinity. (Parameter 'epsilon')", layer.Message);
    }

    [Fact]
    public void AFloat64InputToAFloat32Layer_NamesTheInputAndTheParameter()
    {
        var e = Assert.Throws<ArgumentException>(() => new BatchNorm1d(3).Forward(Tensor.Ones(DType.Float64, 4, 3)));
        Assert.Equal("batchNorm: operands have different dtypes (Float64 [4, 3] and Float32 [3]); convert one with To().", e.Message);
    }

    [Fact]
    public void ValidSettings_UpdateTheRunningEstimatesByHand()
    {
        // Channel means 3, 4, 5; biased variance 4 per channel, unbiased 8. Momentum 0.5 from 0 and 1: 1.5, 2, 2.5 and 4.5.
        var mean = Tensor.Zeros(3);
        var variance = Tensor.Ones(3);
        var y = Functional.BatchNorm(Input(), mean, variance, null, null, training: true, momentum: 0.5);
        Assert.Equal([1.5f, 2f, 2.5f], mean.ToFloatArray());
        Assert.Equal([4.5f, 4.5f, 4.5f], variance.ToFloatArray());
        Assert.Equal(-2 / MathF.Sqrt(4 + 1e-5f), y[0, 0], 5);
    }
}
