namespace SharpGrad.Nn;

/// <summary>The one check of a layer size (features, channels): a whole number n ≥ 1.</summary>
internal static class LayerSize
{
    /// <summary>Returns <paramref name="value"/> when it is at least 1; otherwise throws, naming it and the value.</summary>
    /// <param name="value">The size.</param>
    /// <param name="name">What the message calls it: a constructor's parameter name, or a model file's quoted key.</param>
    /// <param name="layer">The layer the message starts with ("Linear: …"), or null where the caller names it.</param>
    /// <returns><paramref name="value"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is 0 or negative.</exception>
    public static int Require(int value, string name, string? layer = null) =>
        value > 0 ? value : throw new ArgumentOutOfRangeException(name, $"{(layer is null ? "" : layer + ": ")}{name} must be a positive whole number, not {value}.");
}
