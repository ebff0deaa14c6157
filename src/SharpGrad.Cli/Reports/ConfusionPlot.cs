using System.Globalization;
using ScottPlot;

namespace SharpGrad.Cli.Reports;

/// <summary>
/// A heatmap of a confusion matrix: actual classes down, predicted classes across, each cell showing its count
/// and coloured by its share of the actual class (<c>matrix[a, p] / Σ_q matrix[a, q]</c>), so that the few
/// mistakes stay visible next to a large diagonal.
/// </summary>
internal static class ConfusionPlot
{
    /// <summary>The picture's width in pixels.</summary>
    public const int Width = 600;

    /// <summary>The picture's height in pixels.</summary>
    public const int Height = 550;

    /// <summary>Renders the heatmap as PNG bytes.</summary>
    public static byte[] Png(string title, int[,] matrix, IReadOnlyList<string> classNames) =>
        Build(title, matrix, classNames).GetImageBytes(Width, Height, ImageFormat.Png);

    /// <summary>Renders the heatmap as an SVG document.</summary>
    public static string Svg(string title, int[,] matrix, IReadOnlyList<string> classNames) =>
        Build(title, matrix, classNames).GetSvgXml(Width, Height);

    private static Plot Build(string title, int[,] matrix, IReadOnlyList<string> classNames)
    {
        int n = matrix.GetLength(0);
        var share = new double[n, n];
        for (int a = 0; a < n; a++)
        {
            long total = 0;
            for (int p = 0; p < n; p++) total += matrix[a, p];
            for (int p = 0; p < n; p++) share[a, p] = total == 0 ? 0 : (double)matrix[a, p] / total;
        }

        var plot = ReportStyle.NewPlot();
        var heatmap = plot.Add.Heatmap(share);
        heatmap.Colormap = new ShareColormap();
        // Distinct rectangles rather than one stretched bitmap, so SVG viewers draw crisp cells.
        heatmap.RenderStrategy = new ScottPlot.Plottables.Heatmap.RenderStrategies.Rectangles();
        heatmap.ManualRange = new ScottPlot.Range(0, 1);
        // Row 0 of the data is drawn at the top; cell (a, p) is centred on x = p, y = n - 1 - a.
        heatmap.Rectangle = new CoordinateRect(-0.5, n - 0.5, -0.5, n - 0.5);
        var colorBar = plot.Add.ColorBar(heatmap);
        colorBar.Label = "share of actual class";
        colorBar.LabelStyle.FontSize = 13;
        colorBar.Axis.SetTicks([0, 0.25, 0.5, 0.75, 1], ["0 %", "25 %", "50 %", "75 %", "100 %"]);

        float fontSize = n <= 10 ? 14 : n <= 20 ? 10 : 7;
        for (int a = 0; a < n; a++)
            for (int p = 0; p < n; p++)
            {
                var label = plot.Add.Text(matrix[a, p].ToString(CultureInfo.InvariantCulture), p, n - 1 - a);
                label.LabelFontSize = fontSize;
                label.LabelAlignment = Alignment.MiddleCenter;
                label.LabelFontColor = share[a, p] > 0.5 ? Colors.White : Colors.Black;
            }

        double[] positions = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
        plot.Axes.Bottom.SetTicks(positions, [.. classNames]);
        plot.Axes.Left.SetTicks(positions.Reverse().ToArray(), [.. classNames]);
        plot.Axes.SetLimits(-0.5, n - 0.5, -0.5, n - 0.5);
        plot.Axes.Bottom.TickLabelStyle.FontSize = 13;
        plot.Axes.Left.TickLabelStyle.FontSize = 13;
        plot.HideGrid();
        ReportStyle.Label(plot, title, "predicted", "actual");
        return plot;
    }

    /// <summary>White at 0, through mid blue, to dark navy at 1, so empty cells disappear and the diagonal stands out.</summary>
    private sealed class ShareColormap : IColormap
    {
        private static readonly Color Low = Colors.White, Middle = new(66, 146, 198), High = new(8, 48, 107);

        public string Name => "white-blue";

        public Color GetColor(double position)
        {
            double t = double.IsNaN(position) ? 0 : Math.Clamp(position, 0, 1);
            return t < 0.5 ? Mix(Low, Middle, 2 * t) : Mix(Middle, High, 2 * t - 1);
        }

        private static Color Mix(Color from, Color to, double t) => new(
            (byte)Math.Round(from.R + (to.R - from.R) * t),
            (byte)Math.Round(from.G + (to.G - from.G) * t),
            (byte)Math.Round(from.B + (to.B - from.B) * t));
    }
}
