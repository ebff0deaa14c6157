using System.Globalization;

namespace SharpGrad.Cli.Calc;

/// <summary>Numbers as calc prints them in text: 12 significant digits, so 220.00000000000003 prints as 220.</summary>
internal static class NumberFormat
{
    public static string Text(double v)
    {
        if (v == 0) return "0"; // also −0
        if (double.IsNaN(v)) return "NaN";
        if (double.IsInfinity(v)) return v > 0 ? "∞" : "-∞";
        return v.ToString("G12", CultureInfo.InvariantCulture);
    }
}
