using System.Globalization;

namespace SharpGrad.Cli;

/// <summary>Comma-separated positive whole numbers ("256,128"): --hidden, --input-shape and the saved hidden sizes.</summary>
internal static class SizeList
{
    /// <summary>
    /// Splits <paramref name="text"/> at commas and reads each part as a positive whole number (digits only). An empty
    /// text is one empty part, so it fails: a caller that takes it for "no sizes" says so before calling.
    /// </summary>
    /// <param name="text">The list.</param>
    /// <param name="trimSpaces">Whether spaces around a part are allowed (typed by a person) or make it bad (written by SharpGrad).</param>
    /// <param name="sizes">The sizes, when every part is one.</param>
    /// <param name="bad">The first part that is not a positive whole number (trimmed when <paramref name="trimSpaces"/>), when there is one.</param>
    /// <returns>Whether every part is a positive whole number.</returns>
    public static bool TryParse(string text, bool trimSpaces, out int[] sizes, out string bad)
    {
        var parts = text.Split(',', trimSpaces ? StringSplitOptions.TrimEntries : StringSplitOptions.None);
        sizes = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out sizes[i]) || sizes[i] < 1)
            {
                bad = parts[i];
                return false;
            }
        }
        bad = "";
        return true;
    }
}
