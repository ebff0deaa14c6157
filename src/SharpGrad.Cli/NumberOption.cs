using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace SharpGrad.Cli;

/// <summary>
/// Options that take a real number (--lr, --momentum, --weight-decay, --dropout), read with a decimal point only.
/// The parser's own reading of a double accepts thousands separators, so "--lr 0,05" (a decimal comma) was taken
/// as 5 and "--momentum 0,9" refused as 9; such a value is refused as not a number instead.
/// </summary>
internal static class NumberOption
{
    /// <summary>Creates an optional number option whose value is read as an invariant-culture float without separators.</summary>
    /// <param name="name">The option's name, such as "--lr".</param>
    /// <param name="description">The help text.</param>
    /// <returns>The option.</returns>
    public static Option<double?> Create(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = result => Parse(result, name),
    };

    /// <summary>
    /// Reads the option's single token. Anything but a plain number (digits, one decimal point, an optional sign and
    /// exponent, or Infinity/NaN, which the command refuses by name) is an error in the parser's own words.
    /// </summary>
    private static double? Parse(ArgumentResult result, string name)
    {
        if (result.Tokens.Count != 1) return null; // the parser reports a missing or repeated value itself
        string text = result.Tokens[0].Value;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)) return value;
        string hint = text.Contains(',', StringComparison.Ordinal) ? " (write the decimal point as '.')" : "";
        result.AddError($"Cannot parse argument '{text}' for option '{name}' as a number{hint}.");
        return null;
    }
}
