namespace SharpGrad.Cli.Calc;

/// <summary>A problem with the program or the values given to <c>sharpgrad calc</c>: reported on stderr, exit code 2.</summary>
/// <param name="message">What is wrong, ready to print (one line, or a syntax error with the program and a caret).</param>
internal sealed class CalcException(string message) : Exception(message)
{
    /// <summary>The exit code for bad input.</summary>
    public const int ExitCode = 2;

    /// <summary>"column C" in a one-line program, else "line L, column C", for an offset into the program.</summary>
    /// <param name="source">The whole program.</param>
    /// <param name="position">The offset.</param>
    /// <returns>The place, in words.</returns>
    public static string Where(string source, int position)
    {
        position = Math.Clamp(position, 0, source.Length);
        int lineStart = position == 0 ? 0 : source.LastIndexOf('\n', position - 1) + 1;
        int column = TextWidth.Characters(source.AsSpan(lineStart, position - lineStart)) + 1;
        return source.Contains('\n') ? $"line {source[..lineStart].Count(c => c == '\n') + 1}, column {column}" : $"column {column}";
    }

    /// <summary>A syntax error: the offending line of the program, a caret under the column, and what was expected.</summary>
    /// <param name="source">The whole program.</param>
    /// <param name="position">The offset of the problem in <paramref name="source"/>.</param>
    /// <param name="expected">What was expected there ("an expression", "')'").</param>
    /// <param name="found">A description of what was found instead.</param>
    /// <returns>The exception.</returns>
    public static CalcException Syntax(string source, int position, string expected, string found) =>
        Syntax(source, position, $"expected {expected}, found {found}");

    /// <summary>A syntax error described in words: the offending line, a caret under the column, and the problem.</summary>
    /// <param name="source">The whole program.</param>
    /// <param name="position">The offset of the problem in <paramref name="source"/>.</param>
    /// <param name="problem">What is wrong there.</param>
    /// <returns>The exception.</returns>
    public static CalcException Syntax(string source, int position, string problem)
    {
        position = Math.Clamp(position, 0, source.Length);
        int lineStart = position == 0 ? 0 : source.LastIndexOf('\n', position - 1) + 1;
        int lineEnd = source.IndexOf('\n', lineStart);
        if (lineEnd < 0) lineEnd = source.Length;
        int line = source[..lineStart].Count(c => c == '\n') + 1;
        int column = TextWidth.Characters(source.AsSpan(lineStart, position - lineStart)) + 1;
        string text = source[lineStart..lineEnd].Replace('\t', ' ').TrimEnd('\r');
        int caret = TextWidth.Display(source[lineStart..position].Replace('\t', ' ')); // under the character on a terminal
        return new CalcException(
            $"calc: syntax error at line {line}, column {column}: {problem}\n" +
            $"  {text}\n" +
            $"  {new string(' ', caret)}^");
    }
}
