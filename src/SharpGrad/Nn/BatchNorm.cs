namespace SharpGrad.Nn;

/// <summary>
/// Batch normalisation per channel (PyTorch's BatchNorm semantics): y = (x − μ)/√(σ² + ε)·γ + β, with batch statistics
/// in training (updating the running mean and unbiased running variance with the given momentum) and the running
/// statistics in evaluation. γ ("weight", initially 1) and β ("bias", initially 0) are parameters; "running_mean"
/// (initially 0) and "running_var" (initially 1) are buffers, saved with the model.
/// </summary>
public abstract class BatchNorm : Module
{
    /// <summary>Creates the layer.</summary>
    /// <param name="features">C, the channels.</param>
    /// <param name="epsilon">ε.</param>
    /// <param name="momentum">The running statistics' update factor, in [0, 1].</param>
    /// <param name="affine">Whether to learn γ and β.</param>
    /// <param name="dtype">The element type.</param>
    private protected BatchNorm(int features, double epsilon, double momentum, bool affine, DType dtype)
    {
        LayerSize.Require(features, nameof(features), GetType().Name);
        ArgumentChecks.FinitePositive(epsilon, nameof(epsilon), "ε");
        if (momentum is < 0 or > 1 || double.IsNaN(momentum)) throw new ArgumentOutOfRangeException(nameof(momentum), $"Momentum must be in [0, 1], not {momentum}.");
        Features = features;
        Epsilon = epsilon;
        Momentum = momentum;
        Weight = affine ? RegisterParameter("weight", Tensor.Ones(dtype, features)) : null;
        Bias = affine ? RegisterParameter("bias", Tensor.Zeros(dtype, features)) : null;
        RunningMean = RegisterBuffer("running_mean", Tensor.Zeros(dtype, features));
        RunningVar = RegisterBuffer("running_var", Tensor.Ones(dtype, features));
    }

    /// <summary>C.</summary>
    public int Features { get; }

    /// <summary>ε.</summary>
    public double Epsilon { get; }

    /// <summary>The running statistics' update factor.</summary>
    public double Momentum { get; }

    /// <summary>γ, shape [C], or null without affine parameters.</summary>
    public Tensor? Weight { get; }

    /// <summary>β, shape [C], or null without affine parameters.</summary>
    public Tensor? Bias { get; }

    /// <summary>The running mean, shape [C].</summary>
    public Tensor RunningMean { get; }

    /// <summary>The running (unbiased) variance, shape [C].</summary>
    public Tensor RunningVar { get; }

    /// <summary>The input rank(s) accepted, for the error message.</summary>
    private protected abstract bool AcceptsRank(int rank);

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        if (!AcceptsRank(input.Rank) || input.Shape[1] != Features)
            throw new ArgumentException($"{Describe()}: input of shape {Shapes.Format(input.Shape)} does not fit (expected {(this is BatchNorm2d ? "[N, C, H, W]" : "[N, C] or [N, C, L]")} with C = {Features}).");
        return Functional.BatchNorm(input, RunningMean, RunningVar, Weight, Bias, Training, Momentum, Epsilon);
    }

    /// <inheritdoc/>
    public override string Describe() => $"{GetType().Name}({Features})";
}

/// <summary>Batch normalisation of [N, C] (or [N, C, L]) inputs over the batch (and length) axes; see <see cref="BatchNorm"/>.</summary>
public sealed class BatchNorm1d : BatchNorm
{
    /// <summary>Creates the layer (PyTorch's defaults).</summary>
    /// <param name="features">C.</param>
    /// <param name="epsilon">ε.</param>
    /// <param name="momentum">The running statistics' update factor.</param>
    /// <param name="affine">Whether to learn γ and β.</param>
    /// <param name="dtype">The element type.</param>
    public BatchNorm1d(int features, double epsilon = 1e-5, double momentum = 0.1, bool affine = true, DType dtype = DType.Float32)
        : base(features, epsilon, momentum, affine, dtype)
    {
    }

    private protected override bool AcceptsRank(int rank) => rank is 2 or 3;
}

/// <summary>Batch normalisation of [N, C, H, W] inputs over the batch and spatial axes; see <see cref="BatchNorm"/>.</summary>
public sealed class BatchNorm2d : BatchNorm
{
    /// <summary>Creates the layer (PyTorch's defaults).</summary>
    /// <param name="features">C.</param>
    /// <param name="epsilon">ε.</param>
    /// <param name="momentum">The running statistics' update factor.</param>
    /// <param name="affine">Whether to learn γ and β.</param>
    /// <param name="dtype">The element type.</param>
    public BatchNorm2d(int features, double epsilon = 1e-5, double momentum = 0.1, bool affine = true, DType dtype = DType.Float32)
        : base(features, epsilon, momentum, affine, dtype)
    {
    }

    private protected override bool AcceptsRank(int rank) => rank == 4;
}
