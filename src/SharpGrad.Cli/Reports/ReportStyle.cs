using ScottPlot;
using SkiaSharp;

namespace SharpGrad.Cli.Reports;

/// <summary>The look shared by the report's pictures: one sans-serif font and the same label sizes.</summary>
internal static class ReportStyle
{
    // ScottPlot's own default falls back to a serif face on a bare Linux box; take the first sans face installed.
    private static readonly string? SansFamily = new[] { "DejaVu Sans", "Liberation Sans", "Open Sans", "Arial", "Helvetica" }
        .FirstOrDefault(name => SKFontManager.Default.GetFontFamilies().Contains(name, StringComparer.OrdinalIgnoreCase));

    /// <summary>A new plot in the report's font.</summary>
    public static Plot NewPlot()
    {
        var plot = new Plot();
        if (SansFamily is not null) plot.Font.Set(SansFamily);
        return plot;
    }

    /// <summary>Sets the title and both axis labels.</summary>
    public static void Label(Plot plot, string title, string xLabel, string yLabel)
    {
        plot.Title(title, size: 15);
        plot.XLabel(xLabel, size: 13);
        plot.YLabel(yLabel, size: 13);
    }
}
