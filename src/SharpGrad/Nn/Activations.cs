namespace SharpGrad.Nn;

/// <summary>The rectified linear unit as a layer: y = max(x, 0).</summary>
public sealed class ReLU : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Relu();
}

/// <summary>The logistic sigmoid as a layer: y = 1 / (1 + e⁻ˣ).</summary>
public sealed class Sigmoid : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Sigmoid();
}

/// <summary>The hyperbolic tangent as a layer: y = tanh x.</summary>
public sealed class Tanh : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Tanh();
}

/// <summary>Flattens every dimension after the first: [N, d1, d2, …] → [N, d1·d2·…].</summary>
public sealed class Flatten : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Rank <= 2 ? input : input.Reshape(input.Shape[0], -1);
}
