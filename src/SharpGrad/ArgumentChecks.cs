using System.Globalization;

namespace SharpGrad;

/// <summary>Checks of numeric settings shared by layers, operations, optimizers and schedules, each rule with one message.</summary>
internal static class ArgumentChecks
{
    /// <summary>
    /// Returns <paramref name="value"/> when it is finite and above 0. NaN is refused too (it fails every comparison,
    /// so a test written as "not above 0" lets it through), and so is +∞ (an infinite ε or learning rate gives updates
    /// of 0 or ±∞).
    /// </summary>
    /// <param name="value">The value.</param>
    /// <param name="paramName">The parameter's name, for the exception.</param>
    /// <param name="setting">How the message names the setting, such as "ε", "batchNorm: ε" or "The learning rate".</param>
    /// <returns>The value.</returns>
    /// <exception cref="ArgumentOutOfRangeException">"{setting} must be a finite positive number, not {value}."</exception>
    public static double FinitePositive(double value, string paramName, string setting) =>
        value > 0 && double.IsFinite(value)
            ? value
            : throw new ArgumentOutOfRangeException(paramName, $"{setting} must be a finite positive number, not {value.ToString(CultureInfo.InvariantCulture)}.");
}
