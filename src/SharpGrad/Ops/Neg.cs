using System.Numerics.Tensors;

namespace SharpGrad.Ops;

/// <summary>Negation node. Forward: y = −x. Backward: ∂L/∂x = −∂L/∂y.</summary>
internal sealed class Neg : Node
{
    public override string Symbol => "−";
    public override string Rule => "negate: passes the gradient negated";

    public static Tensor Apply(Tensor x) =>
        Record<Neg>(Kernel.Map(x, TensorPrimitives.Negate, TensorPrimitives.Negate), x);

    protected override Tensor?[] BackwardCore(Tensor gradOutput) => Gradients(Apply(gradOutput));
}
