using System.CommandLine;
using System.CommandLine.Invocation;
using SharpGrad.Cli.Train;

namespace SharpGrad.Cli;

/// <summary>The <c>sharpgrad</c> command: one subcommand per job.</summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        // A plain command named "sharpgrad" (a RootCommand takes its name from the assembly, SharpGrad.Cli).
        var root = new Command("sharpgrad", "SharpGrad: computational graphs and backpropagation in pure C#.")
        {
            new System.CommandLine.Help.HelpOption(),
            new VersionOption(),
        };
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(Eval.EvalCommand.Create());
        root.Subcommands.Add(Calc.CalcCommand.Create());
        root.Subcommands.Add(Export.ExportCommand.Create());
        if (args.Length == 0)
        {
            root.Parse(["--help"]).Invoke(); // no command: show what there is
            return 2;
        }
        var parse = root.Parse(args);
        if (parse.Errors.Count == 0)
        {
            try
            {
                if (parse.Action is System.CommandLine.Help.HelpAction) return ShowHelp(parse);
                return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false }); // exceptions reach the handler below
            }
            catch (OutOfMemoryException)
            {
                Console.Error.WriteLine(Messages.OutOfMemory(parse.CommandResult.Command == root ? null : parse.CommandResult.Command.Name));
                return 1;
            }
        }
        // One clear line per problem and exit code 2, instead of the whole help text.
        // Name the subcommand the problem is in; "Required command was not provided" only repeats an unknown command.
        string where = parse.CommandResult.Command == root ? "sharpgrad" : $"sharpgrad {parse.CommandResult.Command.Name}";
        bool unknownCommand = parse.Errors.Any(e => e.Message.StartsWith("Unrecognized command or argument", StringComparison.Ordinal));
        string? previousUnknown = null;
        // "eval --modle m": the parser also says --model is missing; the suggestion already says where it went.
        var suggested = parse.Errors.Select(e => UnrecognizedToken(e.Message)).OfType<string>()
            .Select(t => Suggestion(t, parse.CommandResult.Command)).OfType<string>().ToHashSet();
        foreach (var error in parse.Errors)
        {
            if (unknownCommand && error.Message.StartsWith("Required command was not provided", StringComparison.Ordinal)) continue;
            if (suggested.Any(option => error.Message == $"Option '{option}' is required.")) continue;
            string? token = UnrecognizedToken(error.Message);
            // "--epoch 1": the parser reports the 1 as well; it is the mistyped option's value, not a second mistake.
            bool valueOfUnknown = token is not null && previousUnknown is not null && !token.StartsWith('-') && FollowsInArguments(args, previousUnknown, token);
            previousUnknown = token;
            if (valueOfUnknown) continue;
            string? near = token is null ? null : Suggestion(token, parse.CommandResult.Command);
            string message = near is null ? Readable(error.Message) : $"{error.Message.TrimEnd('.')}; did you mean {near}?";
            Console.Error.WriteLine($"{where}: {message}");
        }
        Console.Error.WriteLine("Run 'sharpgrad --help' or 'sharpgrad COMMAND --help' for the commands and options.");
        return 2;
    }

    /// <summary>
    /// Prints the help text without the parser's note on "additional arguments": calc lets unmatched tokens through
    /// (so a program such as "-x * 2" is not taken for an option), and they are part of the program, not extra arguments.
    /// </summary>
    private static int ShowHelp(ParseResult parse)
    {
        var text = new StringWriter();
        int code = parse.Invoke(new InvocationConfiguration { Output = text });
        Console.Out.Write(WithoutAdditionalArguments(text.ToString()));
        return code;
    }

    /// <summary>Removes the "[[--] &lt;additional arguments&gt;...]]" usage suffix and the "Additional Arguments:" section.</summary>
    internal static string WithoutAdditionalArguments(string help)
    {
        var lines = help.Replace(" [[--] <additional arguments>...]]", "").Split('\n').ToList();
        int section = lines.FindIndex(l => l.TrimEnd('\r') == "Additional Arguments:");
        if (section >= 0)
        {
            int end = section + 1;
            while (end < lines.Count && lines[end].TrimEnd('\r').Length > 0) end++;
            if (end < lines.Count) end++; // the blank line after the section
            lines.RemoveRange(section, end - section);
        }
        return string.Join('\n', lines);
    }

    /// <summary>Replaces .NET type names in parser messages with words.</summary>
    /// <summary>The token of an "Unrecognized command or argument 'X'." error, or null for another error.</summary>
    private static string? UnrecognizedToken(string message)
    {
        const string Start = "Unrecognized command or argument '";
        if (!message.StartsWith(Start, StringComparison.Ordinal)) return null;
        int end = message.LastIndexOf('\'');
        return end > Start.Length - 1 ? message[Start.Length..end] : null;
    }

    /// <summary>Whether <paramref name="value"/> comes right after <paramref name="option"/> somewhere in the arguments.</summary>
    private static bool FollowsInArguments(string[] args, string option, string value)
    {
        for (int i = 0; i + 1 < args.Length; i++)
            if (args[i] == option && args[i + 1] == value) return true;
        return false;
    }

    /// <summary>
    /// The nearest name to a mistyped option or command (--epochs for --epoch): the command's option or subcommand whose
    /// name the token starts, or that is at most 2 edits away from it; null when none is that close.
    /// </summary>
    internal static string? Suggestion(string token, Command command)
    {
        IEnumerable<string> names = token.StartsWith('-')
            ? command.Options.SelectMany(o => o.Aliases.Prepend(o.Name)).Where(n => n.StartsWith("--", StringComparison.Ordinal))
            : command.Subcommands.Select(c => c.Name);
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string name in names)
        {
            int distance = name.StartsWith(token, StringComparison.Ordinal) && token.Length >= 3 ? 1 : EditDistance(token, name);
            if (distance < bestDistance) (best, bestDistance) = (name, distance);
        }
        return bestDistance <= 2 ? best : null;
    }

    /// <summary>The Levenshtein distance: the fewest insertions, deletions and substitutions that turn a into b.</summary>
    internal static int EditDistance(string a, string b)
    {
        var row = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) row[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.Length];
    }

    internal static string Readable(string message) => message
        .Replace("'System.Nullable`1[System.Int32]'", "a whole number (at most 2147483647)")
        .Replace("'System.Int32'", "a whole number (at most 2147483647)")
        .Replace("'System.Nullable`1[System.Double]'", "a number")
        .Replace("'System.Double'", "a number")
        .Replace(" as expected type", " as");
}
