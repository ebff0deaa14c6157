using System.Numerics.Tensors;

namespace SharpGrad.Ops;

/// <summary>Sine node. Forward: y = sin x. Backward: ∂L/∂x = ∂L/∂y · cos x.</summary>
internal sealed class Sin : Node
{
    public override string Symbol => "sin";
    public override string Rule => "sin: the input receives the gradient times cos(x)";

    public static Tensor Apply(Tensor x) =>
        Record<Sin>(Kernel.Map(x, TensorPrimitives.Sin, TensorPrimitives.Sin), x);

    protected override Tensor?[] BackwardCore(Tensor gradOutput) => Gradients(Mul.Apply(gradOutput, Cos.Apply(Input(0))));
}

/// <summary>Cosine node. Forward: y = cos x. Backward: ∂L/∂x = −∂L/∂y · sin x.</summary>
internal sealed class Cos : Node
{
    public override string Symbol => "cos";
    public override string Rule => "cos: the input receives the gradient times −sin(x)";

    public static Tensor Apply(Tensor x) =>
        Record<Cos>(Kernel.Map(x, TensorPrimitives.Cos, TensorPrimitives.Cos), x);

    protected override Tensor?[] BackwardCore(Tensor gradOutput) => Gradients(Neg.Apply(Mul.Apply(gradOutput, Sin.Apply(Input(0)))));
}
