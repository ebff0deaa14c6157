using System.CommandLine;
using System.Globalization;
using System.Runtime.ExceptionServices;
using SharpGrad.Viz;

namespace SharpGrad.Cli.Calc;

/// <summary>
/// Runs <c>sharpgrad calc</c> against any writers, so tests call it in-process. Exit codes: 0 done, 2 bad input
/// (syntax, unknown function, missing or unused or malformed values, an undefined operation, an output file that
/// cannot be written).
/// </summary>
internal static class CalcRunner
{
    /// <summary>Parses <paramref name="args"/> (the words after "calc") and runs the command.</summary>
    /// <param name="args">The program, NAME=VALUE pairs and options.</param>
    /// <param name="stdout">Where results go.</param>
    /// <param name="stderr">Where problems go.</param>
    /// <returns>The exit code.</returns>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var command = CalcCommand.Create(out var symbols);
        var parsed = command.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            stderr.WriteLine($"calc: {parsed.Errors[0].Message}");
            return CalcException.ExitCode;
        }
        return Execute(parsed, symbols, stdout, stderr);
    }

    /// <summary>The most operations --svg lays out: 1,000 take about 12 s, 2,000 most of a minute.</summary>
    private const int MaxSvgNodes = 500;

    /// <summary>The stack of the thread that parses and evaluates: the parser allows <see cref="Parser.MaxDepth"/> levels of recursion.</summary>
    private const int StackBytes = 256 * 1024 * 1024;

    /// <summary>Runs the command from a parse result, on a thread with a large stack so deeply nested programs cannot overflow it.</summary>
    public static int Execute(ParseResult parsed, CalcSymbols symbols, TextWriter stdout, TextWriter stderr)
    {
        int code = 0;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                code = ExecuteCore(parsed, symbols, stdout, stderr);
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        }, StackBytes);
        thread.Start();
        thread.Join();
        failure?.Throw();
        return code;
    }

    private static int ExecuteCore(ParseResult parsed, CalcSymbols symbols, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            string? dotPath = parsed.GetValue(symbols.Dot), svgPath = parsed.GetValue(symbols.Svg);
            string? piped = CheckStandardOutput(dotPath, svgPath, parsed.GetValue(symbols.Json));
            CheckOutputs(ToFile(dotPath), ToFile(svgPath));
            var words = (parsed.GetValue(symbols.Words) ?? []).Concat(parsed.UnmatchedTokens).ToList();
            if (words.Count == 0)
                throw new CalcException("calc: give a program, for example: sharpgrad calc \"y = x * x\" x=3");
            if (parsed.GetValue(symbols.Json) && parsed.GetValue(symbols.Explain))
                throw new CalcException("calc: --explain writes prose and --json one JSON object; use one of them.");
            CheckForUnknownOptions(words);
            var values = ParseValues(words.Skip(1));
            int order = parsed.GetValue(symbols.Order) switch
            {
                null or "1" => 1,
                "2" => 2,
                var other => throw new CalcException($"calc: --order must be 1 or 2, not '{other}'."),
            };
            var calculation = Calculation.Run(words[0], values, order);

            var options = new GraphExportOptions { Trace = calculation.Trace, ShowGradients = calculation.Trace is not null, OutputLabel = calculation.OutputName };
            if (svgPath is not null) // refused before --dot is written: a failed command writes nothing
            {
                int nodes = SharpGrad.Autograd.TopologicalOrder(calculation.Graph.Output).Count;
                if (nodes > MaxSvgNodes) // the layered layout grows much faster than the graph
                    throw new CalcException($"calc: the graph has {nodes:N0} operations, too many for a readable picture (--svg draws up to {MaxSvgNodes:N0}); write --dot FILE instead.");
            }
            string? dot = dotPath is null ? null : GraphExport.ToDot(calculation.Graph.Output, options);
            string? svg = svgPath is null ? null : GraphExport.ToSvg(calculation.Graph.Output, options);
            // Both pictures or neither: the files are renamed into place together once both are written, and a picture
            // for standard output is printed only after that.
            using (var pictures = SharpGrad.IO.AtomicFile.BeginBatch())
            {
                if (ToFile(dotPath) is { } dotFile) Write(dotFile, dot!);
                if (ToFile(svgPath) is { } svgFile) Write(svgFile, svg!);
                Commit(pictures);
            }
            if (ToFile(dotPath) is { } writtenDot) stderr.WriteLine($"calc: wrote {writtenDot}");
            if (ToFile(svgPath) is { } writtenSvg) stderr.WriteLine($"calc: wrote {writtenSvg}");
            if (piped is not null) stdout.Write(piped == "--dot" ? dot : svg);

            // Standard output holds the picture alone when it is sent there: the result goes to standard error instead.
            TextWriter results = piped is null ? stdout : stderr;
            if (parsed.GetValue(symbols.Json))
            {
                results.WriteLine(JsonReport.Write(calculation));
            }
            else
            {
                if (parsed.GetValue(symbols.Explain)) results.WriteLine(Explanation.Write(calculation));
                results.Write(TextReport.Write(calculation));
            }
            WarnAboutNonFiniteGradients(calculation, stderr);
            return 0;
        }
        catch (CalcException e) // bad input, including an output path that cannot be written
        {
            stderr.WriteLine(e.Message);
            return CalcException.ExitCode;
        }
    }

    /// <summary>
    /// Unmatched words reach the program and its values (a program may start with '-'), so a mistyped option such as
    /// --jsn would be reported as a malformed NAME=VALUE or as the program itself: name it as an unknown option instead.
    /// </summary>
    private static void CheckForUnknownOptions(List<string> words)
    {
        // The first word is the program ("-x" is one) unless it looks like a long option and the next word is not a
        // NAME=VALUE pair, as in: calc --jsn "x * y" x=2 y=3.
        int first = words.Count > 1 && words[0].StartsWith("--", StringComparison.Ordinal) && LooksLikeOption(words[0]) && !words[1].Contains('=') ? 0 : 1;
        for (int i = first; i < words.Count; i++)
            if (LooksLikeOption(words[i]))
            {
                string option = OptionPart(words[i]);
                string? near = Options.MinBy(o => Program.EditDistance(option, o));
                string guess = near is not null && Program.EditDistance(option, near) <= 2 ? $" (did you mean {near}?)" : "";
                throw new CalcException($"calc: unknown option '{option}'{guess}; the options are --json, --explain, --order 1|2, --dot FILE and --svg FILE (see sharpgrad calc --help).");
            }
    }

    /// <summary>calc's options, for the guess at a mistyped one.</summary>
    private static readonly string[] Options = ["--json", "--explain", "--order", "--dot", "--svg", "--help"];

    /// <summary>The word up to an '=' or ':' (how an option may be joined to its value).</summary>
    private static string OptionPart(string word) => word.Split('=', ':')[0];

    /// <summary>-x, --name or --name=value: one or two dashes, a letter, then letters, digits and dashes.</summary>
    private static bool LooksLikeOption(string word)
    {
        string name = OptionPart(word);
        int dashes = name.StartsWith("--", StringComparison.Ordinal) ? 2 : name.StartsWith('-') ? 1 : 0;
        return dashes > 0 && name.Length > dashes && char.IsAsciiLetter(name[dashes]) && name.AsSpan(dashes).ContainsAnyExcept(OptionCharacters) is false;
    }

    private static readonly System.Buffers.SearchValues<char> OptionCharacters =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-");

    /// <summary>NAME=VALUE words as a dictionary, rejecting malformed words, non-numbers and repeated names.</summary>
    private static Dictionary<string, double> ParseValues(IEnumerable<string> words)
    {
        var values = new Dictionary<string, double>();
        foreach (var word in words)
        {
            int eq = word.IndexOf('=');
            string name = eq < 0 ? "" : word[..eq].Trim();
            if (eq < 0)
                throw new CalcException($"calc: expected NAME=VALUE, got '{word}' (the program must be one argument: put it in quotes).");
            if (name.Length == 0)
                throw new CalcException($"calc: expected NAME=VALUE, got '{word}': the name is missing.");
            if (Lexer.FirstBadNameCharacter(name) is var bad and >= 0)
                throw new CalcException($"calc: '{name}' in '{word}' is not a name: {Lexer.DescribeCharacter(name, bad)} at column {TextWidth.Characters(word.AsSpan(0, word.IndexOf(name, StringComparison.Ordinal) + bad)) + 1} is not allowed " +
                    (bad == 0 ? "to start a name (names start with a letter or '_')." : "in a name (names are letters, digits and '_')."));
            string text = word[(eq + 1)..].Trim();
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
                throw new CalcException($"calc: the value of '{name}' must be a finite number, not '{text}'.");
            if (Lexer.UnderflowsToZero(text, v))
                throw new CalcException($"calc: the value of '{name}', {text}, is too small for a double: it would be 0 (the smallest is about 4.9e-324).");
            if (!values.TryAdd(name, v))
                throw new CalcException($"calc: '{name}' is given a value twice.");
        }
        return values;
    }

    /// <summary>The name that sends a picture to standard output instead of a file (a file of that name is ./-).</summary>
    internal const string StandardOutput = "-";

    /// <summary>The picture's file, or null when there is none: no option, or <see cref="StandardOutput"/>.</summary>
    private static string? ToFile(string? path) => IsStandardOutput(path) ? null : path;

    /// <summary>
    /// Whether a picture goes to standard output: "-", or a path that is standard output by another name
    /// (<c>/dev/stdout</c>, or the file the shell redirected it to), which is then treated just like "-".
    /// </summary>
    private static bool IsStandardOutput(string? path) => path == StandardOutput || (path is { Length: > 0 } && SharpGrad.IO.StandardStreams.Of(path) == 1);

    /// <summary>
    /// At most one thing may claim standard output: one picture given as "-", and then not --json (whose one object a
    /// program reads from standard output) either. The text result and --explain move to standard error instead.
    /// </summary>
    /// <returns>The option whose picture goes to standard output ("--dot" or "--svg"), or null.</returns>
    private static string? CheckStandardOutput(string? dotPath, string? svgPath, bool json)
    {
        bool dot = IsStandardOutput(dotPath), svg = IsStandardOutput(svgPath);
        if (dot && svg)
            throw new CalcException($"calc: --dot {dotPath} and --svg {svgPath} would both write to standard output, running the two pictures together; write one of them to a file.");
        string? piped = dot ? "--dot" : svg ? "--svg" : null;
        if (piped is not null && json)
            throw new CalcException($"calc: --json and {piped} {(dot ? dotPath : svgPath)} would both write to standard output; give {piped} a file name, or leave out --json.");
        return piped;
    }

    /// <summary>
    /// Before any work, each picture path must be writable as train's and export's outputs are (a folder that exists and
    /// takes files, a name that is not too long; a device or FIFO is written into), and --dot and --svg must not name
    /// one file, which would be written twice, the picture silently replacing the graph text.
    /// </summary>
    private static void CheckOutputs(string? dotPath, string? svgPath)
    {
        try
        {
            string? dot = dotPath is null ? null : OutputPaths.CheckFile(dotPath, "--dot", devices: true);
            string? svg = svgPath is null ? null : OutputPaths.CheckFile(svgPath, "--svg", devices: true);
            if (dot is not null && svg is not null) OutputPaths.CheckDistinct([new("--dot", dotPath!), new("--svg", svgPath!)], [dot, svg]);
        }
        catch (ArgumentException e)
        {
            throw new CalcException($"calc: {Messages.Clean(e)}");
        }
    }

    /// <summary>Writes a picture file (into the open batch), refusing a failure as <see cref="Writing"/> does.</summary>
    private static void Write(string path, string text) => Writing(() => GraphExport.WriteAtomically(path, text), path);

    /// <summary>Renames the batch's pictures into place, refusing a failed rename as <see cref="Writing"/> does.</summary>
    private static void Commit(SharpGrad.IO.AtomicFile.Batch pictures) => Writing(pictures.Commit, path: null);

    /// <summary>
    /// Runs a write of the pictures, turning a failure into calc's one-line refusal (exit code 2: an output path that
    /// cannot be written is bad input too): an I/O error as AtomicFile words it (its message names the path and the
    /// reason), and, for a write of one file (<paramref name="path"/> given), any other refusal of that path.
    /// </summary>
    /// <exception cref="CalcException">The write failed.</exception>
    private static void Writing(Action write, string? path)
    {
        try
        {
            write();
        }
        catch (IOException e)
        {
            throw new CalcException($"calc: {e.Message}");
        }
        catch (Exception e) when (path is not null && e is UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new CalcException($"calc: cannot write '{path}': {e.Message}");
        }
    }

    /// <summary>The text in parentheses, unless it already is wrapped in one pair.</summary>
    private static string Parenthesized(string text) => text.StartsWith('(') && text.EndsWith(')') ? text : $"({text})";

    /// <summary>A finite value can still have an infinite slope (√x at 0): say which node made it so.</summary>
    private static void WarnAboutNonFiniteGradients(Calculation c, TextWriter stderr)
    {
        if (c.Trace is not { } trace) return;
        foreach (var step in trace.Steps)
        {
            if (!double.IsFinite(step.GradOutput.Item())) continue;
            for (int i = 0; i < step.GradInputs.Count; i++)
            {
                if (step.GradInputs[i] is { } g && step.Node.Inputs[i].RequiresGrad && !double.IsFinite(g.Item()))
                {
                    string at = string.Join(", ", step.Node.Inputs.Select(input => $"{c.Graph.Describe(input)} = {NumberFormat.Text(input.Item())}"));
                    stderr.WriteLine($"calc: warning: the {step.Node.OpName} node {Parenthesized(c.Graph.Describe(step.Node.Output))} has no finite derivative with respect to {c.Graph.Describe(step.Node.Inputs[i])} at {at}; gradients through it are {NumberFormat.Text(g.Item())}.");
                    return;
                }
            }
        }
    }
}
