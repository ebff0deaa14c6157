namespace SharpGrad.Nn;

/// <summary>
/// Inverted dropout: in training mode each element is zeroed with probability p and the rest scaled by 1/(1 − p);
/// in evaluation mode the identity. See <see cref="Functional.Dropout"/>.
/// </summary>
public sealed class Dropout : Module
{
    private readonly Generator _generator;

    /// <summary>Creates the layer.</summary>
    /// <param name="p">The drop probability, in [0, 1): a layer with p = 1 would output only zeros and pass no gradient.</param>
    /// <param name="generator">The seeded generator for the masks (kept and advanced by every training forward).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is outside [0, 1).</exception>
    public Dropout(double p, Generator generator)
    {
        RequireProbability(p, nameof(p));
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

    /// <summary>Throws unless 0 ≤ <paramref name="p"/> &lt; 1 (the range the CLI's --dropout accepts).</summary>
    internal static void RequireProbability(double p, string parameterName)
    {
        if (!(p is >= 0 and < 1))
        {
            string why = p == 1 ? " (p = 1 would drop every element)" : "";
            throw new ArgumentOutOfRangeException(parameterName, $"The dropout probability must be in [0, 1), not {p.ToString(System.Globalization.CultureInfo.InvariantCulture)}{why}.");
        }
    }

    /// <inheritdoc/>
    public override string Describe() => $"Dropout(p = {P.ToString(System.Globalization.CultureInfo.InvariantCulture)})";
}
