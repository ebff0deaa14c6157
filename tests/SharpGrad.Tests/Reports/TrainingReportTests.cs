using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using System.Xml.Linq;
using SharpGrad.Cli.Reports;
using SharpGrad.Cli.Train;
using SharpGrad.Tests.Toolkit;

namespace SharpGrad.Tests.Reports;

/// <summary>Writes one report into a fresh temporary directory, shared by the tests that only read it.</summary>
public sealed class WrittenReport : IDisposable
{
    // Values chosen to need all 17 significant digits, or an exponent, to round-trip.
    internal static readonly EpochResult[] Epochs =
    [
        new(1, 0.1 + 0.2, 1.0 / 3, 0.9, 12.345678901234567, 4861.000000000001),
        new(2, 2.5e-17, 2.0 / 3, 0.9871, 1e-300, 123456789.123),
    ];

    public static readonly int[,] Confusion = { { 5, 1, 0 }, { 2, 7, 1 }, { 0, 0, 9 } };

    public const string Title = "MLP \"784-32-3\" ünïcode";

    private readonly TempDirectory _temp = new("sharpgrad-report-");

    public WrittenReport()
    {
        Directory = Path.Combine(_temp.Path, "nested", "report");
        Files = TrainingReport.Write(Directory, Epochs, Confusion, Title);
    }

    public string Directory { get; }
    public IReadOnlyList<string> Files { get; }

    public string PathOf(string name) => System.IO.Path.Combine(Directory, name);

    public void Dispose() => _temp.Dispose();
}

public class TrainingReportTests(WrittenReport report) : IClassFixture<WrittenReport>
{
    private static readonly string[] ExpectedNames =
        ["metrics.csv", "metrics.json", "curves.png", "curves.svg", "confusion.csv", "confusion.png", "confusion.svg"];

    [Fact]
    public void Write_CreatesTheDirectory_AndReturnsEveryFile_AndLeavesNoTemporaryFile()
    {
        Assert.Equal(ExpectedNames.Select(report.PathOf), report.Files);
        var present = Directory.GetFiles(report.Directory).Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(ExpectedNames.Order(StringComparer.Ordinal), present);
    }

    [Fact]
    public void MetricsCsv_ParsesBackToTheExactNumbers()
    {
        string[] lines = File.ReadAllText(report.PathOf("metrics.csv")).TrimEnd('\n').Split('\n');
        Assert.Equal("epoch,train_loss,train_accuracy,test_accuracy,seconds,samples_per_second", lines[0]);
        Assert.Equal(WrittenReport.Epochs.Length + 1, lines.Length);
        for (int i = 0; i < WrittenReport.Epochs.Length; i++)
        {
            string[] f = lines[i + 1].Split(',');
            var expected = WrittenReport.Epochs[i];
            var parsed = new EpochResult(int.Parse(f[0], CultureInfo.InvariantCulture), D(f[1]), D(f[2]), D(f[3]), D(f[4]), D(f[5]));
            Assert.Equal(expected, parsed); // record equality: every double bit-for-bit
        }
    }

    [Fact]
    public void MetricsJson_ParsesBackToTheExactNumbers()
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(report.PathOf("metrics.json")));
        var root = json.RootElement;
        Assert.Equal(WrittenReport.Title, root.GetProperty("title").GetString());
        var epochs = root.GetProperty("epochs").EnumerateArray().ToArray();
        Assert.Equal(WrittenReport.Epochs.Length, epochs.Length);
        for (int i = 0; i < epochs.Length; i++)
        {
            var e = epochs[i];
            var parsed = new EpochResult(
                e.GetProperty("epoch").GetInt32(), e.GetProperty("train_loss").GetDouble(), e.GetProperty("train_accuracy").GetDouble(),
                e.GetProperty("test_accuracy").GetDouble(), e.GetProperty("seconds").GetDouble(), e.GetProperty("samples_per_second").GetDouble());
            Assert.Equal(WrittenReport.Epochs[i], parsed);
        }
        Assert.Equal(0.9871, root.GetProperty("final_test_accuracy").GetDouble());
    }

    [Fact]
    public void ConfusionCsv_HoldsTheCountsUnderClassHeaders()
    {
        string expected = "actual\\predicted,0,1,2\n0,5,1,0\n1,2,7,1\n2,0,0,9\n";
        Assert.Equal(expected, File.ReadAllText(report.PathOf("confusion.csv")));
    }

    [Theory]
    [InlineData("curves.png", CurvesPlot.Width, CurvesPlot.Height)]
    [InlineData("confusion.png", ConfusionPlot.Width, ConfusionPlot.Height)]
    public void Png_HasTheSignature_AndTheRequestedSize(string name, int width, int height)
    {
        byte[] png = File.ReadAllBytes(report.PathOf(name));
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        // The first chunk is IHDR: 4-byte length, the type, then big-endian width and height.
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
        Assert.Equal(width, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)));
        Assert.Equal(height, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4)));
    }

    [Theory]
    [InlineData("curves.svg", CurvesPlot.Width, CurvesPlot.Height)]
    [InlineData("confusion.svg", ConfusionPlot.Width, ConfusionPlot.Height)]
    public void Svg_IsWellFormedXml_WithTheRequestedSize(string name, int width, int height)
    {
        var svg = XDocument.Load(report.PathOf(name)).Root!;
        Assert.Equal("svg", svg.Name.LocalName);
        Assert.Equal(width.ToString(CultureInfo.InvariantCulture), svg.Attribute("width")?.Value);
        Assert.Equal(height.ToString(CultureInfo.InvariantCulture), svg.Attribute("height")?.Value);
    }

    [Fact]
    public void Svg_CurvesHoldBothPanelTitles()
    {
        string text = string.Concat(XDocument.Load(report.PathOf("curves.svg")).Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value));
        Assert.Contains("loss", text);
        Assert.Contains("accuracy", text);
    }

    private static double D(string s) => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);
}
