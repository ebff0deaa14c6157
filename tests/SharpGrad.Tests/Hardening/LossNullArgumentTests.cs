using SharpGrad.Nn;

namespace SharpGrad.Tests.Hardening;

/// <summary>The losses name a null prediction, target, logits or labels (ArgumentNullException), not a NullReferenceException from inside.</summary>
public sealed class LossNullArgumentTests
{
    [Fact]
    public void MseLoss_NamesANullPredictionOrTarget()
    {
        var x = Tensor.FromArray(new float[] { 1, 2 });
        Assert.Equal("prediction", Assert.Throws<ArgumentNullException>(() => Functional.MseLoss(null!, x)).ParamName);
        Assert.Equal("target", Assert.Throws<ArgumentNullException>(() => Functional.MseLoss(x, null!)).ParamName);
        Assert.Equal(2.5, Functional.MseLoss(x, Tensor.FromArray(new float[] { 0, 4 })).Item(), 12); // (1² + 2²) / 2
    }

    [Fact]
    public void SoftmaxCrossEntropy_NamesNullLogitsOrLabels()
    {
        var logits = Tensor.FromArray(new float[] { 0, 0 }, 1, 2);
        Assert.Equal("logits", Assert.Throws<ArgumentNullException>(() => Functional.SoftmaxCrossEntropy(null!, [0])).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentNullException>(() => Functional.SoftmaxCrossEntropy(logits, null!)).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentNullException>(() => new SoftmaxCrossEntropyLoss().Forward(logits, null!)).ParamName);
        Assert.Equal(Math.Log(2), Functional.SoftmaxCrossEntropy(logits, [1]).Item(), 6); // −log(1/2)
    }
}
