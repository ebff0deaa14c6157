namespace SharpGrad.Tests.Toolkit;

/// <summary>Backprop's gradients against central differences in float64 (<see cref="GradCheck"/>), as the op and layer tests check them.</summary>
internal static class NumericalGradients
{
    /// <summary>The largest relative disagreement allowed.</summary>
    public const double Tolerance = 1e-6;

    /// <summary>Asserts that every input's gradient of <paramref name="f"/> agrees with central differences within <see cref="Tolerance"/>.</summary>
    public static void Check(Func<Tensor[], Tensor> f, params Tensor[] inputs)
    {
        var result = GradCheck.Check(f, inputs);
        Assert.True(result.Passes(Tolerance), result.ToString());
    }
}
