using System.Numerics.Tensors;

namespace SharpGrad.Ops;

/// <summary>Natural logarithm node. Forward: y = ln x. Backward: ∂L/∂x = ∂L/∂y / x.</summary>
internal sealed class Log : Node
{
    public override string Symbol => "log";
    public override string Rule => "log: the input receives the gradient divided by x";

    public static Tensor Apply(Tensor x) =>
        Record<Log>(Kernel.Map(x, TensorPrimitives.Log, TensorPrimitives.Log), x);

    protected override Tensor?[] BackwardCore(Tensor gradOutput) => Gradients(Div.Apply(gradOutput, Input(0)));
}
