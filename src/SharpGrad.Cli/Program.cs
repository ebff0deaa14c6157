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
        foreach (var error in parse.Errors)
            if (!(unknownCommand && error.Message.StartsWith("Required command was not provided", StringComparison.Ordinal)))
                Console.Error.WriteLine($"{where}: {Readable(error.Message)}");
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
    internal static string Readable(string message) => message
        .Replace("'System.Nullable`1[System.Int32]'", "a whole number (at most 2147483647)")
        .Replace("'System.Int32'", "a whole number (at most 2147483647)")
        .Replace("'System.Nullable`1[System.Double]'", "a number")
        .Replace("'System.Double'", "a number")
        .Replace(" as expected type", " as");
}
