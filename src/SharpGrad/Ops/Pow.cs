using System.Numerics.Tensors;

namespace SharpGrad.Ops;

/// <summary>
/// Power with a constant exponent c. Forward: y = xᶜ. Backward: ∂L/∂x = ∂L/∂y · c · xᶜ⁻¹, defined as 0 when
/// c = 0 (so d/dx x⁰ at x = 0 is 0, not NaN).
/// </summary>
internal sealed class Pow : Node
{
    private double _exponent; // set on the recorded node, so an arena can reuse it

    /// <summary>The constant exponent c.</summary>
    public double Exponent => _exponent;

    public override string Symbol => "^";
    public override string Rule => $"power: the input receives the gradient times {Exponent}·x^{Exponent - 1}";

    public static Tensor Apply(Tensor x, double exponent)
    {
        Tensor y = exponent switch
        {
            1.0 => Copy.Raw(x),
            2.0 => Kernel.Map(x, static (s, d) => TensorPrimitives.Multiply(s, s, d), static (s, d) => TensorPrimitives.Multiply(s, s, d)),
            // The exponent is passed to static lambdas rather than captured: a capturing lambda allocates on every call.
            _ => Kernel.Map(x, exponent, static (s, c, d) => TensorPrimitives.Pow(s, (float)c, d), static (s, c, d) => TensorPrimitives.Pow(s, c, d)),
        };
        if (RecordNode<Pow>(y, x) is { } node) node._exponent = exponent;
        return y;
    }

    protected override Tensor?[] BackwardCore(Tensor gradOutput)
    {
        var x = Input(0);
        if (Exponent == 0) return Gradients(gradOutput.ZerosLike());
        var local = Exponent == 1 ? x.OnesLike() : Mul.Apply(Apply(x, Exponent - 1), Tensor.Scalar(Exponent, x.DType));
        return Gradients(Mul.Apply(gradOutput, local));
    }
}
