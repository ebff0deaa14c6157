using System.Numerics.Tensors;

namespace SharpGrad.Ops;

/// <summary>Square-root node. Forward: y = √x. Backward: ∂L/∂x = ∂L/∂y / (2y).</summary>
internal sealed class Sqrt : Node
{
    public override string Symbol => "√";
    public override string Rule => "sqrt: the input receives the gradient divided by 2·sqrt(x)";

    public static Tensor Apply(Tensor x) =>
        Record<Sqrt>(Kernel.Map(x, TensorPrimitives.Sqrt, TensorPrimitives.Sqrt), x);

    protected override Tensor?[] BackwardCore(Tensor gradOutput) =>
        Gradients(Div.Apply(gradOutput, Mul.Apply(Output, Tensor.Scalar(2, Output.DType))));
}
