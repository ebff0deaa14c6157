using System.Numerics.Tensors;

namespace SharpGrad.Ops;

/// <summary>Logistic sigmoid node. Forward: y = 1 / (1 + e⁻ˣ). Backward: ∂L/∂x = ∂L/∂y · y · (1 − y).</summary>
internal sealed class Sigmoid : Node
{
    public override string Symbol => "σ";
    public override string Rule => "sigmoid: the input receives the gradient times y·(1 − y), y the node's output";

    public static Tensor Apply(Tensor x) =>
        Record<Sigmoid>(Kernel.Map(x, TensorPrimitives.Sigmoid, TensorPrimitives.Sigmoid), x);

    protected override Tensor?[] BackwardCore(Tensor gradOutput)
    {
        var y = Output;
        return Gradients(Mul.Apply(gradOutput, Mul.Apply(y, Sub.Apply(Tensor.Scalar(1, y.DType), y))));
    }
}
