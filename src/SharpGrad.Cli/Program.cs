using System.CommandLine;
using SharpGrad.Cli.Train;

namespace SharpGrad.Cli;

/// <summary>The <c>sharpgrad</c> command: one subcommand per job.</summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        var root = new RootCommand("SharpGrad: computational graphs and backpropagation in pure C#.");
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(Eval.EvalCommand.Create());
        root.Subcommands.Add(Calc.CalcCommand.Create());
        root.Subcommands.Add(Export.ExportCommand.Create());
        return root.Parse(args).Invoke();
    }
}
