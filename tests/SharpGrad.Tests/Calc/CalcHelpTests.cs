using System.CommandLine;
using SharpGrad.Cli.Calc;

namespace SharpGrad.Tests.Calc;

/// <summary>calc's help does not advertise "additional arguments": tokens the parser leaves are part of the program.</summary>
public class CalcHelpTests
{
    [Fact]
    public void CalcHelp_HasNoAdditionalArgumentsSection_AndKeepsItsOptions()
    {
        var root = new Command("sharpgrad") { new System.CommandLine.Help.HelpOption() };
        root.Subcommands.Add(CalcCommand.Create());
        var raw = new StringWriter();
        root.Parse(["calc", "--help"]).Invoke(new System.CommandLine.InvocationConfiguration { Output = raw });
        Assert.Contains("Additional Arguments:", raw.ToString()); // what the parser prints on its own

        string help = SharpGrad.Cli.Program.WithoutAdditionalArguments(raw.ToString());
        Assert.DoesNotContain("dditional", help);
        Assert.Contains("sharpgrad calc [<PROGRAM [NAME=VALUE ...]>...] [options]", help);
        Assert.Contains("--order <1|2>", help);
        Assert.Contains("-?, -h, --help", help);
    }
}
