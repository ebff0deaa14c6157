using System.Numerics.Tensors;

namespace SharpGrad.Ops;

/// <summary>Absolute value. Forward: y = |x|. Backward: ∂L/∂x = ∂L/∂y · sign(x), with sign(0) = 0.</summary>
internal sealed class Abs : Node
{
    public override string Symbol => "abs";
    public override string Rule => "abs: the input receives the gradient times sign(x) (0 at x = 0)";

    public static Tensor Apply(Tensor x) =>
        Record<Abs>(Kernel.Map(x, TensorPrimitives.Abs, TensorPrimitives.Abs), x);

    protected override Tensor?[] BackwardCore(Tensor gradOutput) => Gradients(Mul.Apply(gradOutput, Kernel.Sign(Input(0))));
}
