using System.Globalization;
using System.Text;

namespace SharpGrad.Cli.Reports;

/// <summary>Counts of (actual, predicted) class pairs, and a plain-text rendering for the terminal.</summary>
internal static class ConfusionMatrix
{
    /// <summary>
    /// Counts how often each actual class was predicted as each class:
    /// <c>matrix[a, p] = #{ i : actual[i] = a ∧ predicted[i] = p }</c>.
    /// </summary>
    /// <param name="actual">The true label of each sample.</param>
    /// <param name="predicted">The predicted label of each sample.</param>
    /// <param name="classes">The number of classes; every label must lie in [0, classes).</param>
    /// <returns>A <paramref name="classes"/> × <paramref name="classes"/> matrix indexed [actual, predicted].</returns>
    /// <exception cref="ArgumentException">The arrays differ in length, or a label is out of range.</exception>
    public static int[,] Compute(int[] actual, int[] predicted, int classes)
    {
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes);
        if (actual.Length != predicted.Length)
            throw new ArgumentException($"There are {actual.Length} actual labels but {predicted.Length} predictions.", nameof(predicted));
        var matrix = new int[classes, classes];
        for (int i = 0; i < actual.Length; i++)
        {
            int a = actual[i], p = predicted[i];
            if ((uint)a >= (uint)classes)
                throw new ArgumentException($"Actual label {a} at index {i} is outside [0, {classes}).", nameof(actual));
            if ((uint)p >= (uint)classes)
                throw new ArgumentException($"Predicted label {p} at index {i} is outside [0, {classes}).", nameof(predicted));
            matrix[a, p]++;
        }
        return matrix;
    }

    /// <summary>
    /// A right-aligned table: one row per actual class, one column per predicted class, and at the end of each
    /// row the recall <c>matrix[a, a] / Σ_p matrix[a, p]</c> as a percentage ("-" when the class has no samples).
    /// </summary>
    /// <param name="matrix">A square matrix indexed [actual, predicted].</param>
    /// <param name="classNames">Row and column labels; "0", "1", … when omitted.</param>
    /// <exception cref="ArgumentException">The matrix is not square, or the names do not match its size.</exception>
    public static string Format(int[,] matrix, IReadOnlyList<string>? classNames = null)
    {
        int n = CheckSquare(matrix, nameof(matrix));
        var names = ClassNames(n, classNames);
        const string Corner = "actual \\ predicted";
        const string RecallHeader = "recall";
        int cell = names.Max(s => s.Length);
        foreach (int count in matrix) cell = Math.Max(cell, count.ToString(CultureInfo.InvariantCulture).Length);
        int first = Math.Max(Corner.Length, names.Max(s => s.Length));
        int recallWidth = Math.Max(RecallHeader.Length, "100.0 %".Length);

        var text = new StringBuilder();
        text.Append(Corner.PadLeft(first));
        foreach (string name in names) text.Append("  ").Append(name.PadLeft(cell));
        text.Append("  ").Append(RecallHeader.PadLeft(recallWidth)).Append('\n');
        for (int a = 0; a < n; a++)
        {
            text.Append(names[a].PadLeft(first));
            long rowTotal = 0;
            for (int p = 0; p < n; p++)
            {
                text.Append("  ").Append(matrix[a, p].ToString(CultureInfo.InvariantCulture).PadLeft(cell));
                rowTotal += matrix[a, p];
            }
            string recall = rowTotal == 0
                ? "-"
                : (100.0 * matrix[a, a] / rowTotal).ToString("0.0", CultureInfo.InvariantCulture) + " %";
            text.Append("  ").Append(recall.PadLeft(recallWidth)).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>Returns the side of a square matrix, or throws.</summary>
    /// <exception cref="ArgumentException">The matrix is empty or not square.</exception>
    internal static int CheckSquare(int[,] matrix, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(matrix, parameterName);
        int rows = matrix.GetLength(0), columns = matrix.GetLength(1);
        if (rows != columns || rows == 0)
            throw new ArgumentException($"A confusion matrix must be square and non-empty, but this one is {rows} × {columns}.", parameterName);
        return rows;
    }

    /// <summary>The given names, checked against the class count, or "0" … "n-1".</summary>
    /// <exception cref="ArgumentException">The number of names differs from <paramref name="classes"/>.</exception>
    internal static IReadOnlyList<string> ClassNames(int classes, IReadOnlyList<string>? classNames)
    {
        if (classNames is null)
            return Enumerable.Range(0, classes).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
        if (classNames.Count != classes)
            throw new ArgumentException($"There are {classNames.Count} class names for {classes} classes.", nameof(classNames));
        return classNames;
    }
}
