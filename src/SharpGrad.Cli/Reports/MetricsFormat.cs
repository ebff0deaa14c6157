using System.Globalization;
using System.Text;
using System.Text.Json;
using SharpGrad.Cli.Train;

namespace SharpGrad.Cli.Reports;

/// <summary>The per-epoch metrics as CSV and JSON text, every number at full round-trip precision.</summary>
internal static class MetricsFormat
{
    /// <summary>The CSV header, in the order of <see cref="EpochResult"/>'s members.</summary>
    public const string CsvHeader = "epoch,train_loss,train_accuracy,test_accuracy,seconds,samples_per_second";

    // The names of the double-valued columns, in the order Values returns them.
    private static readonly string[] DoubleColumns = ["train_loss", "train_accuracy", "test_accuracy", "seconds", "samples_per_second"];

    /// <summary>One header line, then one line per epoch; invariant culture, doubles formatted "R".</summary>
    public static string ToCsv(IReadOnlyList<EpochResult> epochs)
    {
        var text = new StringBuilder().Append(CsvHeader).Append('\n');
        foreach (var e in epochs)
        {
            text.Append(e.Epoch.ToString(CultureInfo.InvariantCulture));
            foreach (double value in Values(e))
                text.Append(',').Append(value.ToString("R", CultureInfo.InvariantCulture));
            text.Append('\n');
        }
        return text.ToString();
    }

    /// <summary>
    /// <c>{"title": …, "epochs": [{"epoch": 1, "train_loss": …, …}], "final_test_accuracy": …}</c>.
    /// JSON has no NaN or infinity, so a non-finite value is written as <c>null</c>.
    /// </summary>
    public static byte[] ToJson(string title, IReadOnlyList<EpochResult> epochs)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("title", title);
            json.WriteStartArray("epochs");
            foreach (var e in epochs)
            {
                json.WriteStartObject();
                json.WriteNumber("epoch", e.Epoch);
                double[] values = Values(e);
                for (int i = 0; i < values.Length; i++) WriteDouble(json, DoubleColumns[i], values[i]);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            WriteDouble(json, "final_test_accuracy", epochs[^1].TestAccuracy);
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static double[] Values(EpochResult e) =>
        [e.TrainLoss, e.TrainAccuracy, e.TestAccuracy, e.Seconds, e.SamplesPerSecond];

    private static void WriteDouble(Utf8JsonWriter json, string name, double value)
    {
        // Utf8JsonWriter writes the shortest text that parses back to the same double.
        if (double.IsFinite(value)) json.WriteNumber(name, value);
        else json.WriteNull(name);
    }
}
