using System.CommandLine;

namespace SharpGrad.Cli.Calc;

/// <summary>The arguments and options of <c>sharpgrad calc</c>.</summary>
/// <param name="Words">The program, then NAME=VALUE pairs.</param>
/// <param name="Json">--json.</param>
/// <param name="Explain">--explain.</param>
/// <param name="Dot">--dot FILE (or - for standard output).</param>
/// <param name="Svg">--svg FILE (or - for standard output).</param>
/// <param name="Order">--order 1|2.</param>
internal sealed record CalcSymbols(Argument<string[]> Words, Option<bool> Json, Option<bool> Explain, Option<string?> Dot, Option<string?> Svg, Option<string?> Order);

/// <summary><c>sharpgrad calc</c>: evaluates a small program as a computational graph and backpropagates through it.</summary>
internal static class CalcCommand
{
    /// <summary>The command, wired to the console.</summary>
    /// <returns>The command.</returns>
    public static Command Create() => Create(out _);

    /// <summary>The command and its symbols.</summary>
    /// <param name="symbols">The arguments and options, for reading a parse result.</param>
    /// <returns>The command.</returns>
    public static Command Create(out CalcSymbols symbols)
    {
        var words = new Argument<string[]>("PROGRAM [NAME=VALUE ...]")
        {
            Description = "Statements separated by ';' or newlines (\"name = expression\" or an expression; the last is the output), then a value for every input.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var json = new Option<bool>("--json") { Description = "Print one JSON object: output, value, gradients, intermediates (and hessian). Infinities are the strings \"Infinity\" and \"-Infinity\"; NaN is null." };
        var explain = new Option<bool>("--explain") { Description = "Explain the backward pass node by node." };
        var dot = new Option<string?>("--dot") { Description = "Write the graph as Graphviz DOT to FILE; - prints it to standard output alone (the result then goes to standard error; not with --json), as in --dot - | dot -Tpng.", HelpName = "FILE" };
        var svg = new Option<string?>("--svg") { Description = "Write the graph as an SVG picture to FILE; - prints it to standard output alone (the result then goes to standard error; not with --json).", HelpName = "FILE" };
        var order = new Option<string?>("--order") { Description = "1 for gradients (default), 2 to add the second derivatives (Hessian).", HelpName = "1|2" };
        var command = new Command("calc", "Evaluate a program as a computational graph and show the gradient of the output with respect to every input.")
        {
            words, json, explain, dot, svg, order,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        var s = new CalcSymbols(words, json, explain, dot, svg, order);
        command.SetAction(parsed => CalcRunner.Execute(parsed, s, Console.Out, Console.Error));
        symbols = s;
        return command;
    }
}
