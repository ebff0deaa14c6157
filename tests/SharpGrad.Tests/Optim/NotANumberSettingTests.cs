using SharpGrad.Optim;

namespace SharpGrad.Tests.Optim;

/// <summary>
/// NaN (and an infinite ε or weight decay) is refused by every optimizer's constructor. Checks written as
/// "below 0 or at least 1" let NaN through, so new Sgd(…, momentum: NaN) or new Adam(…, beta1: NaN) was accepted and
/// its first step turned every parameter into NaN; an infinite ε made every update 0.
/// </summary>
public sealed class NotANumberSettingTests
{
    private static Tensor[] Parameters() => [Tensor.Ones(2).WithRequiresGrad()];

    private static string Refused(Func<Optimizer> create) => Assert.Throws<ArgumentOutOfRangeException>(() => create()).Message;

    [Fact]
    public void Sgd_NaNMomentum_AndNaNOrInfiniteWeightDecay()
    {
        Assert.Equal("Momentum must be in [0, 1), not NaN. (Parameter 'momentum')", Refused(() => new Sgd(Parameters(), 0.1, momentum: double.NaN)));
        Assert.Equal("weightDecay must be finite and non-negative, not NaN. (Parameter 'weightDecay')", Refused(() => new Sgd(Parameters(), 0.1, weightDecay: double.NaN)));
        Assert.Equal("weightDecay must be finite and non-negative, not Infinity. (Parameter 'weightDecay')",
            Refused(() => new Sgd(Parameters(), 0.1, weightDecay: double.PositiveInfinity)));
    }

    [Fact]
    public void AdamAndAdamW_NaNBetas_AndInfiniteEpsilon()
    {
        Assert.Equal("β₁ must be in [0, 1), not NaN. (Parameter 'beta1')", Refused(() => new Adam(Parameters(), beta1: double.NaN)));
        Assert.Equal("β₂ must be in [0, 1), not NaN. (Parameter 'beta2')", Refused(() => new AdamW(Parameters(), beta2: double.NaN)));
        Assert.Equal("ε must be a finite positive number, not Infinity. (Parameter 'epsilon')", Refused(() => new Adam(Parameters(), epsilon: double.PositiveInfinity)));
        Assert.Equal("ε must be a finite positive number, not 0. (Parameter 'epsilon')", Refused(() => new Adam(Parameters(), epsilon: 0)));
    }

    [Fact]
    public void RmsProp_NaNAlphaAndMomentum_AndAdaGrad_InfiniteEpsilon()
    {
        Assert.Equal("α must be in [0, 1), not NaN. (Parameter 'alpha')", Refused(() => new RmsProp(Parameters(), alpha: double.NaN)));
        Assert.Equal("Momentum must be in [0, 1), not NaN. (Parameter 'momentum')", Refused(() => new RmsProp(Parameters(), momentum: double.NaN)));
        Assert.Equal("ε must be a finite positive number, not NaN. (Parameter 'epsilon')", Refused(() => new RmsProp(Parameters(), epsilon: double.NaN)));
        Assert.Equal("ε must be a finite positive number, not Infinity. (Parameter 'epsilon')", Refused(() => new AdaGrad(Parameters(), epsilon: double.PositiveInfinity)));
    }

    [Fact]
    public void ValidSettings_StillTakeTheStepByHand()
    {
        // w = 1, ∇ = 2w = 2; SGD with momentum 0.5 and weight decay 0.25: g = 2 + 0.25 = 2.25, v = g, w = 1 − 0.1·2.25 = 0.775.
        var w = Tensor.FromArray(new double[] { 1 }, 1).WithRequiresGrad();
        var sgd = new Sgd([w], 0.1, momentum: 0.5, weightDecay: 0.25);
        (w * w).Sum().Backward();
        sgd.Step();
        Assert.Equal(0.775, w[0], 12);
    }
}
