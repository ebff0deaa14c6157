using System.Numerics.Tensors;

namespace SharpGrad.Ops;

/// <summary>Hyperbolic tangent node. Forward: y = tanh x. Backward: ∂L/∂x = ∂L/∂y · (1 − y²).</summary>
internal sealed class Tanh : Node
{
    public override string Symbol => "tanh";
    public override string Rule => "tanh: the input receives the gradient times 1 − tanh(x)²";

    public static Tensor Apply(Tensor x) =>
        Record<Tanh>(Kernel.Map(x, TensorPrimitives.Tanh, TensorPrimitives.Tanh), x);

    protected override Tensor?[] BackwardCore(Tensor gradOutput)
    {
        var y = Output;
        return Gradients(Mul.Apply(gradOutput, Sub.Apply(Tensor.Scalar(1, y.DType), Mul.Apply(y, y))));
    }
}
