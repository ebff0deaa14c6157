using ScottPlot;
using SharpGrad.Cli.Train;

namespace SharpGrad.Cli.Reports;

/// <summary>
/// Two panels side by side: the mean training loss per epoch, and the train and test accuracy (in %) per epoch.
/// </summary>
internal static class CurvesPlot
{
    /// <summary>The picture's width in pixels.</summary>
    public const int Width = 900;

    /// <summary>The picture's height in pixels.</summary>
    public const int Height = 400;

    /// <summary>Renders the curves as PNG bytes.</summary>
    public static byte[] Png(string title, IReadOnlyList<EpochResult> epochs)
    {
        var (loss, accuracy) = Panels(title, epochs);
        var multiplot = new Multiplot();
        multiplot.Reset(loss); // a new Multiplot starts with an empty plot of its own
        multiplot.AddPlot(accuracy);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        return multiplot.Render(Width, Height).GetImageBytes(ImageFormat.Png);
    }

    /// <summary>Renders the curves as an SVG document: each panel's SVG placed in its half of the canvas.</summary>
    public static string Svg(string title, IReadOnlyList<EpochResult> epochs)
    {
        var (loss, accuracy) = Panels(title, epochs);
        int half = Width / 2;
        return SvgComposer.SideBySide(Width, Height, loss.GetSvgXml(half, Height), accuracy.GetSvgXml(Width - half, Height), half);
    }

    private static (Plot Loss, Plot Accuracy) Panels(string title, IReadOnlyList<EpochResult> epochs)
    {
        double[] x = epochs.Select(e => (double)e.Epoch).ToArray();

        var loss = ReportStyle.NewPlot();
        var lossLine = loss.Add.Scatter(x, epochs.Select(e => e.TrainLoss).ToArray());
        lossLine.LegendText = "train loss";
        lossLine.LineWidth = 2;
        lossLine.MarkerSize = 6;
        Decorate(loss, $"{title}: loss", "mean training cross-entropy");
        double highest = epochs.Select(e => e.TrainLoss).Where(double.IsFinite).DefaultIfEmpty(0).Max();
        // A loss is never negative: start the axis at zero rather than below it.
        if (highest > 0) loss.Axes.SetLimitsY(0, 1.15 * highest);

        var accuracy = ReportStyle.NewPlot();
        var train = accuracy.Add.Scatter(x, epochs.Select(e => 100 * e.TrainAccuracy).ToArray());
        train.LegendText = "train";
        train.LineWidth = 2;
        train.MarkerSize = 6;
        var test = accuracy.Add.Scatter(x, epochs.Select(e => 100 * e.TestAccuracy).ToArray());
        test.LegendText = "test";
        test.LineWidth = 2;
        test.MarkerSize = 6;
        // A dashed line would tell the curves apart too, but Skia's SVG canvas cannot draw dashes.
        test.MarkerShape = MarkerShape.FilledSquare;
        Decorate(accuracy, $"{title}: accuracy", "accuracy (%)");
        accuracy.ShowLegend(Alignment.LowerRight);
        loss.ShowLegend(Alignment.UpperRight);
        return (loss, accuracy);
    }

    private static void Decorate(Plot plot, string title, string yLabel)
    {
        ReportStyle.Label(plot, title, "epoch", yLabel);
        // Epochs are whole numbers; fractional ticks like 1.5 would mislead.
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
    }
}
