using SharpGrad.Tests.Toolkit;

namespace SharpGrad.Tests.Ops;

/// <summary>Power with a tensor exponent: hand-worked values and gradients, the edges at 0 and negative bases, numerical and second-order checks.</summary>
public class PowTensorTests
{
    /// <summary>z = x^y at one point: its value and both gradients.</summary>
    private static (double Value, double GradX, double GradY) At(double xValue, double yValue)
    {
        var x = Tensor.Scalar(xValue, DType.Float64, requiresGrad: true);
        var y = Tensor.Scalar(yValue, DType.Float64, requiresGrad: true);
        var z = x.Pow(y);
        z.Backward();
        return (z.Item(), x.Grad!.Item(), y.Grad!.Item());
    }

    [Fact]
    public void PowTensor_AtPositiveBase_GivesHandWorkedValueAndGradients()
    {
        var (value, gx, gy) = At(2, 3);
        Assert.Equal(8, value, 12);
        Assert.Equal(12, gx, 12);              // 3 · 2²
        Assert.Equal(8 * Math.Log(2), gy, 12); // 2³ · ln 2
    }

    [Fact]
    public void PowTensor_AtNegativeBase_IsDefinedForIntegerExponents_AndItsExponentGradientIsNaN()
    {
        var (v2, gx2, gy2) = At(-2, 2);
        Assert.Equal(4, v2);
        Assert.Equal(-4, gx2, 12); // 2 · (−2)
        Assert.True(double.IsNaN(gy2)); // ln(−2) is undefined
        var (v3, gx3, _) = At(-2, 3);
        Assert.Equal(-8, v3);
        Assert.Equal(12, gx3, 12); // 3 · (−2)²
        Assert.True(double.IsNaN(At(-2, 0.5).Value));
    }

    [Fact]
    public void PowTensor_AtZeroBase_FollowsPyTorch()
    {
        Assert.Equal((0.0, 0.0, 0.0), At(0, 2)); // ∂/∂y: 0·ln 0 taken as 0 for y ≥ 0
        Assert.Equal((1.0, 0.0, 0.0), At(0, 0)); // 0⁰ = 1; ∂/∂x is 0 where y = 0
        var (_, gx, gy) = At(0, 0.5);
        Assert.True(double.IsPositiveInfinity(gx)); // 0.5 · 0^−0.5: the slope of √x at 0
        Assert.Equal(0, gy);
    }

    [Fact]
    public void PowTensor_WithBroadcasting_MatchesNumericalGradient()
    {
        var x = Tensor.RandomUniform(new Generator(41), 0.5, 2, DType.Float64, 3, 4);
        var y = Tensor.RandomUniform(new Generator(42), -1.5, 2.5, DType.Float64, 4);
        NumericalGradients.Check(t => t[0].Pow(t[1]), x, y);
        var column = Tensor.RandomUniform(new Generator(43), 0.5, 2, DType.Float64, 3, 1);
        NumericalGradients.Check(t => t[0].Pow(t[1]), column, y);
    }

    [Fact]
    public void PowTensor_SecondDerivatives_MatchHandWorkedValues()
    {
        // z = x^y at (2, 3): ∂²z/∂x² = y(y−1)x^(y−2) = 12, ∂²z/∂x∂y = x^(y−1)(1 + y ln x) = 4(1 + 3 ln 2), ∂²z/∂y² = z ln²x = 8 ln²2.
        var x = Tensor.Scalar(2, DType.Float64, requiresGrad: true);
        var y = Tensor.Scalar(3, DType.Float64, requiresGrad: true);
        var first = SharpGrad.Autograd.Grad([x.Pow(y)], [x, y], createGraph: true);
        var fromGx = SharpGrad.Autograd.Grad([first[0]!], [x, y], retainGraph: true);
        var fromGy = SharpGrad.Autograd.Grad([first[1]!], [x, y], retainGraph: true);
        double ln2 = Math.Log(2);
        Assert.Equal(12, fromGx[0]!.Item(), 12);
        Assert.Equal(4 * (1 + 3 * ln2), fromGx[1]!.Item(), 12);
        Assert.Equal(4 * (1 + 3 * ln2), fromGy[0]!.Item(), 12);
        Assert.Equal(8 * ln2 * ln2, fromGy[1]!.Item(), 12);
    }

    [Fact]
    public void PowTensor_InFloat32_MatchesMathFPow()
    {
        var x = Tensor.FromArray(new float[] { -2, 0, 1.5f, 4 });
        var y = Tensor.FromArray(new float[] { 3, 0, 2, 0.5f });
        Assert.Equal(new float[] { -8, 1, 2.25f, 2 }, x.Pow(y).ToFloatArray());
    }
}
