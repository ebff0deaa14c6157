namespace SharpGrad.Nn;

/// <summary>
/// Inverted dropout: in training mode each element is zeroed with probability p and the rest scaled by 1/(1 − p)
/// (with p = 1 every element is zeroed and so is the gradient); in evaluation mode the identity.
/// See <see cref="Functional.Dropout"/>.
/// </summary>
public sealed class Dropout : Module
{
    private readonly Generator _generator;

    /// <summary>Creates the layer.</summary>
    /// <param name="p">The drop probability, in [0, 1] (as torch.nn.Dropout): with p = 1 the layer outputs only zeros in training and passes no gradient.</param>
    /// <param name="generator">The seeded generator for the masks (kept and advanced by every training forward).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is outside [0, 1] or NaN.</exception>
    public Dropout(double p, Generator generator)
    {
        Functional.RequireDropoutProbability(p, nameof(p));
        ArgumentNullException.ThrowIfNull(generator);
        P = p;
        _generator = generator;
    }

    /// <summary>The drop probability.</summary>
    public double P { get; }

    /// <summary>The generator the masks are drawn from (shared by the Dropout layers of one model built by <see cref="Models"/> or loaded from a file).</summary>
    public Generator Generator => _generator;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Dropout(input, P, Training, _generator);

    /// <inheritdoc/>
    public override string Describe() => $"Dropout(p = {P.ToString(System.Globalization.CultureInfo.InvariantCulture)})";
}
