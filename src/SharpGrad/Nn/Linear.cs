namespace SharpGrad.Nn;

/// <summary>How a layer's weights are drawn at creation.</summary>
public enum Init
{
    /// <summary>
    /// PyTorch's default for linear layers: weights and biases uniform in [−1/√fan_in, 1/√fan_in].
    /// </summary>
    Uniform,

    /// <summary>He (Kaiming) normal: std = √(2 / fan_in), suited to ReLU networks.</summary>
    He,

    /// <summary>Xavier (Glorot) normal: std = √(2 / (fan_in + fan_out)), suited to sigmoid and tanh networks.</summary>
    Xavier,
}

/// <summary>
/// A fully connected (affine) layer: y = x·Wᵀ + b, with W of shape [out, in] (PyTorch's layout) and b of shape [out].
/// Backward (by the graph): ∂L/∂x = ∂L/∂y·W, ∂L/∂W = (∂L/∂y)ᵀ·x, ∂L/∂b = Σ over the batch of ∂L/∂y.
/// </summary>
public sealed class Linear : Module
{
    /// <summary>Creates the layer with weights drawn by <paramref name="init"/> (biases: uniform like the weights for <see cref="Init.Uniform"/>, else zero).</summary>
    /// <param name="inFeatures">Input features.</param>
    /// <param name="outFeatures">Output features.</param>
    /// <param name="generator">The seeded generator for the weights.</param>
    /// <param name="init">The initialisation rule.</param>
    /// <param name="bias">Whether to add a bias.</param>
    /// <param name="dtype">The parameters' element type.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is 0 or negative.</exception>
    public Linear(int inFeatures, int outFeatures, Generator generator, Init init = Init.Uniform, bool bias = true, DType dtype = DType.Float32)
    {
        InFeatures = LayerSize.Require(inFeatures, nameof(inFeatures), nameof(Linear));
        OutFeatures = LayerSize.Require(outFeatures, nameof(outFeatures), nameof(Linear));
        double bound = 1 / Math.Sqrt(inFeatures);
        Weight = RegisterParameter("weight", init switch
        {
            Init.He => Tensor.RandomNormal(generator, 0, Math.Sqrt(2.0 / inFeatures), dtype, outFeatures, inFeatures),
            Init.Xavier => Tensor.RandomNormal(generator, 0, Math.Sqrt(2.0 / (inFeatures + outFeatures)), dtype, outFeatures, inFeatures),
            _ => Tensor.RandomUniform(generator, -bound, bound, dtype, outFeatures, inFeatures),
        });
        if (bias)
            Bias = RegisterParameter("bias", init == Init.Uniform ? Tensor.RandomUniform(generator, -bound, bound, dtype, outFeatures) : Tensor.Zeros(dtype, outFeatures));
    }

    /// <summary>Input features.</summary>
    public int InFeatures { get; }

    /// <summary>Output features.</summary>
    public int OutFeatures { get; }

    /// <summary>The weight W, shape [out, in].</summary>
    public Tensor Weight { get; }

    /// <summary>The bias b, shape [out], or null.</summary>
    public Tensor? Bias { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        if (input.Rank == 0 || input.Shape[^1] != InFeatures)
            throw new ArgumentException($"Linear({InFeatures} → {OutFeatures}): input of shape {Shapes.Format(input.Shape)} does not end in {InFeatures} features.");
        var x = input.Rank == 2 ? input : input.Reshape(-1, InFeatures);
        var y = Ops.Linear.Apply(x, Weight, Bias);
        return input.Rank == 2 ? y : y.Reshape([.. input.ShapeRef[..^1], OutFeatures]);
    }

    /// <inheritdoc/>
    public override string Describe() => $"Linear({InFeatures} → {OutFeatures}{(Bias is null ? ", no bias" : "")})";
}
