namespace SharpGrad.Nn;

/// <summary>Reshapes each sample to a given shape: [N, …] → [N, shape…] (for example [N, 784] → [N, 1, 28, 28]).</summary>
public sealed class Unflatten : Module
{
    private readonly int[] _shape;

    /// <summary>Creates the layer.</summary>
    /// <param name="sampleShape">The shape of one sample; every dimension at least 1.</param>
    /// <exception cref="ArgumentException">The shape is empty or has a dimension below 1.</exception>
    public Unflatten(params int[] sampleShape)
    {
        if (sampleShape.Length == 0 || sampleShape.Any(d => d < 1))
            throw new ArgumentException($"Unflatten: sample shape {Shapes.Format(sampleShape)} must be non-empty with positive dimensions.", nameof(sampleShape));
        _shape = (int[])sampleShape.Clone();
    }

    /// <summary>The shape of one sample (a copy).</summary>
    public int[] SampleShape => (int[])_shape.Clone();

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        if (input.Rank == 0 || input.Length != input.Shape[0] * Shapes.Size(_shape))
            throw new ArgumentException($"Unflatten{Shapes.Format(_shape)}: input of shape {Shapes.Format(input.Shape)} does not hold samples of {Shapes.Size(_shape)} values.");
        // [N, sample shape…] on the stack: a collection expression with a spread would allocate an array per step.
        Span<int> shape = _shape.Length < 16 ? stackalloc int[_shape.Length + 1] : new int[_shape.Length + 1];
        shape[0] = input.Shape[0];
        _shape.CopyTo(shape[1..]);
        return input.Reshape((ReadOnlySpan<int>)shape);
    }

    /// <inheritdoc/>
    public override string Describe() => $"Unflatten{Shapes.Format(_shape)}";
}
