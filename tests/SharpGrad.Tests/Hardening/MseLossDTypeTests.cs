namespace SharpGrad.Tests.Hardening;

/// <summary>MseLoss names its own operands when their dtypes differ, not the inner subtraction's.</summary>
public sealed class MseLossDTypeTests
{
    [Fact]
    public void DifferentDTypes_AreNamedAsPredictionAndTarget()
    {
        var prediction = Tensor.FromArray(new float[] { 1, 2 });
        var target = Tensor.FromArray(new double[] { 1, 4 });
        Assert.Equal("mseLoss: prediction (Float32) and target (Float64) have different dtypes; convert one with To().",
            Assert.Throws<ArgumentException>(() => Functional.MseLoss(prediction, target)).Message);
        Assert.Equal(2.0, Functional.MseLoss(prediction, target.To(DType.Float32)).Item(), 12); // ((1−1)² + (2−4)²) / 2
    }
}
