using SharpGrad.Cli.Train;
using SharpGrad.IO;

namespace SharpGrad.Cli.Reports;

/// <summary>
/// Writes a training run's report into a directory: the per-epoch metrics (metrics.csv, metrics.json), the loss
/// and accuracy curves (curves.png, curves.svg) and the test confusion matrix (confusion.csv, confusion.png,
/// confusion.svg).
/// </summary>
internal static class TrainingReport
{
    /// <summary>What a report is drawn from: the epochs' metrics, the confusion matrix, its class names and the title.</summary>
    private sealed record Contents(IReadOnlyList<EpochResult> Epochs, int[,] Confusion, IReadOnlyList<string> Names, string Title)
    {
        public string ConfusionTitle => $"{Title}: confusion matrix";
    }

    /// <summary>Each report file and how it is written, in the order <see cref="Write"/> writes them: the one list of the names.</summary>
    private static readonly (string Name, Action<string, Contents> Write)[] Files =
    [
        ("metrics.csv", (p, c) => AtomicFile.WriteAllText(p, MetricsFormat.ToCsv(c.Epochs))),
        ("metrics.json", (p, c) => AtomicFile.WriteAllBytes(p, MetricsFormat.ToJson(c.Title, c.Epochs))),
        ("curves.png", (p, c) => AtomicFile.WriteAllBytes(p, CurvesPlot.Png(c.Title, c.Epochs))),
        ("curves.svg", (p, c) => AtomicFile.WriteAllText(p, CurvesPlot.Svg(c.Title, c.Epochs))),
        ("confusion.csv", (p, c) => AtomicFile.WriteAllText(p, ConfusionCsv(c.Confusion, c.Names))),
        ("confusion.png", (p, c) => AtomicFile.WriteAllBytes(p, ConfusionPlot.Png(c.ConfusionTitle, c.Confusion, c.Names))),
        ("confusion.svg", (p, c) => AtomicFile.WriteAllText(p, ConfusionPlot.Svg(c.ConfusionTitle, c.Confusion, c.Names))),
    ];

    /// <summary>The names of the files <see cref="Write"/> writes, in its order (checked before training starts).</summary>
    public static readonly IReadOnlyList<string> FileNames = [.. Files.Select(f => f.Name)];

    /// <summary>Writes every report file, all together atomically (temporary siblings renamed into place when all are written).</summary>
    /// <param name="directory">Where the files go; created if missing (and removed again if the report fails). Existing report files are replaced.</param>
    /// <param name="epochs">The metrics of each epoch, in order; at least one.</param>
    /// <param name="confusion">Counts indexed [actual, predicted]; square.</param>
    /// <param name="title">Shown in the pictures' titles and stored in metrics.json.</param>
    /// <param name="classNames">One label per class; "0", "1", … when omitted.</param>
    /// <returns>The full paths of the files written, in the order above.</returns>
    /// <exception cref="ArgumentException">No epochs, a non-square matrix, or class names that do not match it.</exception>
    /// <exception cref="IOException">The directory or a file in it cannot be written; the message names the path.</exception>
    public static IReadOnlyList<string> Write(
        string directory, IReadOnlyList<EpochResult> epochs, int[,] confusion, string title, IReadOnlyList<string>? classNames = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(epochs);
        ArgumentNullException.ThrowIfNull(title);
        if (epochs.Count == 0)
            throw new ArgumentException("A training report needs at least one epoch of metrics, but the list is empty.", nameof(epochs));
        int classes = ConfusionMatrix.CheckSquare(confusion, nameof(confusion));
        var names = ConfusionMatrix.ClassNames(classes, classNames);

        string root = Path.GetFullPath(directory);
        CreatedFolders created;
        try
        {
            created = CreatedFolders.Create(root);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"Cannot create the report directory '{root}': {e.Message}", e);
        }

        // All the files or none: each is written to a temporary file, and they are renamed into place together only
        // when all are complete, so a failure (a full disk, a picture that cannot be drawn) leaves an earlier report
        // as it was, and no folder this call created.
        var contents = new Contents(epochs, confusion, names, title);
        var written = new List<string>();
        try
        {
            using var batch = AtomicFile.BeginBatch();
            foreach (var (name, write) in Files)
            {
                string path = Path.Combine(root, name);
                write(path, contents);
                written.Add(path);
            }
            batch.Commit();
        }
        catch
        {
            created.RemoveIfEmpty();
            throw;
        }
        return written;
    }

    /// <summary>Header <c>actual\predicted,name0,name1,…</c>, then one row of counts per actual class.</summary>
    internal static string ConfusionCsv(int[,] matrix, IReadOnlyList<string> names)
    {
        var text = new System.Text.StringBuilder("actual\\predicted");
        foreach (string name in names) text.Append(',').Append(Csv(name));
        text.Append('\n');
        for (int a = 0; a < names.Count; a++)
        {
            text.Append(Csv(names[a]));
            for (int p = 0; p < names.Count; p++)
                text.Append(',').Append(matrix[a, p].ToString(System.Globalization.CultureInfo.InvariantCulture));
            text.Append('\n');
        }
        return text.ToString();
    }

    // RFC 4180: quote a field that holds a comma, quote or line break, doubling inner quotes.
    private static string Csv(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : $"\"{field.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}
