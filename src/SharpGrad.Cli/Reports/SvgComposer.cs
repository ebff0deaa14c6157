namespace SharpGrad.Cli.Reports;

/// <summary>Places complete SVG documents side by side inside one outer SVG document.</summary>
internal static class SvgComposer
{
    /// <summary>
    /// An SVG of <paramref name="width"/> × <paramref name="height"/> with <paramref name="left"/> at x = 0 and
    /// <paramref name="right"/> at x = <paramref name="rightOffset"/>. Nested &lt;svg&gt; elements keep each panel's
    /// own coordinate system and clipping.
    /// </summary>
    public static string SideBySide(int width, int height, string left, string right, int rightOffset) =>
        $"""
        <svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}">
        <g>{WithoutDeclaration(left)}</g>
        <g transform="translate({rightOffset},0)">{WithoutDeclaration(right)}</g>
        </svg>

        """;

    // An XML declaration is only allowed at the very start of a document.
    private static string WithoutDeclaration(string svg)
    {
        string text = svg.TrimStart();
        if (!text.StartsWith("<?xml", StringComparison.Ordinal)) return text;
        int end = text.IndexOf("?>", StringComparison.Ordinal);
        return text[(end + 2)..].TrimStart();
    }
}
