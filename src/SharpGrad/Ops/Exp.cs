using System.Numerics.Tensors;

namespace SharpGrad.Ops;

/// <summary>Exponential node. Forward: y = eˣ. Backward: ∂L/∂x = ∂L/∂y · y (it keeps its output).</summary>
internal sealed class Exp : Node
{
    public override string Symbol => "exp";
    public override string Rule => "exp: the input receives the gradient times exp(x), the node's own output";

    public static Tensor Apply(Tensor x) =>
        Record<Exp>(Kernel.Map(x, TensorPrimitives.Exp, TensorPrimitives.Exp), x);

    protected override Tensor?[] BackwardCore(Tensor gradOutput) => Gradients(Mul.Apply(gradOutput, Output));
}
