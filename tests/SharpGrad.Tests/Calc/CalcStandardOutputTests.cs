using SharpGrad.Cli.Calc;
using SharpGrad.Tests.Toolkit;

namespace SharpGrad.Tests.Calc;

/// <summary>
/// calc's --dot - and --svg - print the picture to standard output, alone (the result goes to standard error), as
/// Unix tools read "-"; it used to write a file named "-" into the current folder.
/// </summary>
public sealed class CalcStandardOutputTests : IDisposable
{
    private readonly TempDirectory _temp = new("sharpgrad-calc-stdout-");

    public void Dispose() => _temp.Dispose();

    /// <summary>y = x·x + x at x = 3, worked by hand: x·x = 9, y = 12, ∂y/∂x = 2·3 + 1 = 7.</summary>
    private static readonly string[] Program = ["y = x * x + x", "x=3"];

    /// <summary>The text result of <see cref="Program"/>, as calc prints it.</summary>
    private const string Result = "y = 12\n\ninput   value   ∂y/∂input\nx           3           7\n";

    /// <summary>A DOT edge label: the forward value above, the gradient (red) below.</summary>
    private static string Edge(string value, string gradient) =>
        $"<tr><td>{value}</td></tr><tr><td><font color=\"red\">{gradient}</font></td></tr>";

    [Fact]
    public void Dot_Dash_PrintsTheGraphAlone_AndTheResultOnStandardError()
    {
        bool dashBefore = File.Exists("-");
        var run = CalcRun.Of([.. Program, "--dot", "-"]);
        Assert.True(run.ExitCode == 0, run.Err);
        Assert.StartsWith("digraph computational_graph {\n", run.Out);
        Assert.EndsWith("}\n", run.Out);
        Assert.Contains("x0 [label=\"x\", shape=plaintext];", run.Out);
        Assert.Contains("out [label=\"y\", shape=plaintext];", run.Out);
        // x enters × twice (value 3, gradient x = 3 each) and + once (gradient 1); x·x = 9 enters +; y = 12 leaves it.
        Assert.Equal(2, run.Out.Split("x0 -> op0 ").Length - 1);
        Assert.Contains($"x0 -> op0 [label=<<table border=\"0\" cellborder=\"0\" cellspacing=\"0\" cellpadding=\"1\">{Edge("3", "3")}</table>>];", run.Out);
        Assert.Contains($"op0 -> op1 [label=<<table border=\"0\" cellborder=\"0\" cellspacing=\"0\" cellpadding=\"1\">{Edge("9", "1")}</table>>];", run.Out);
        Assert.Contains($"x0 -> op1 [label=<<table border=\"0\" cellborder=\"0\" cellspacing=\"0\" cellpadding=\"1\">{Edge("3", "1")}</table>>];", run.Out);
        Assert.Contains($"op1 -> out [label=<<table border=\"0\" cellborder=\"0\" cellspacing=\"0\" cellpadding=\"1\">{Edge("12", "1")}</table>>];", run.Out);
        Assert.DoesNotContain("y = 12", run.Out);
        Assert.Equal(Result, run.Err); // no "calc: wrote -"
        Assert.Equal(dashBefore, File.Exists("-")); // no file named "-" in the current folder
    }

    [Fact]
    public void Svg_Dash_PrintsThePictureAlone()
    {
        var run = CalcRun.Of([.. Program, "--svg", "-"]);
        Assert.True(run.ExitCode == 0, run.Err);
        Assert.StartsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"", run.Out);
        Assert.EndsWith("</svg>", run.Out.TrimEnd());
        Assert.Equal(Result, run.Err);
    }

    [Fact]
    public void Dot_Dash_WithSvgToAFile_WritesBoth()
    {
        string svg = _temp.PathOf("g.svg");
        var run = CalcRun.Of([.. Program, "--dot", "-", "--svg", svg]);
        Assert.True(run.ExitCode == 0, run.Err);
        Assert.StartsWith("digraph", run.Out);
        Assert.StartsWith("<svg", File.ReadAllText(svg));
        Assert.Equal($"calc: wrote {svg}\n{Result}", run.Err);
    }

    [Fact]
    public void Explain_WithDotDash_GoesToStandardError()
    {
        var run = CalcRun.Of([.. Program, "--dot", "-", "--explain"]);
        Assert.True(run.ExitCode == 0, run.Err);
        Assert.StartsWith("digraph", run.Out);
        Assert.DoesNotContain("y = 12", run.Out);
        Assert.EndsWith(Result, run.Err);
        Assert.True(run.Err.Length > Result.Length, "the explanation precedes the result on stderr");
    }

    [Fact]
    public void APathOtherThanADashAlone_IsAFile()
    {
        string dot = _temp.PathOf("-");
        var run = CalcRun.Of([.. Program, "--dot", dot]);
        Assert.True(run.ExitCode == 0, run.Err);
        Assert.StartsWith("digraph", File.ReadAllText(dot));
        Assert.Equal(Result, run.Out);
    }

    [Fact]
    public void BothPictures_ToStandardOutput_AreRefused()
    {
        var run = CalcRun.Of([.. Program, "--dot", "-", "--svg", "-"]);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("calc: --dot - and --svg - would both write to standard output, running the two pictures together; write one of them to a file.", run.Err.TrimEnd());
        Assert.Equal("", run.Out);
    }

    [Theory]
    [InlineData("--dot")]
    [InlineData("--svg")]
    public void Json_WithAPictureToStandardOutput_IsRefused(string option)
    {
        var run = CalcRun.Of([.. Program, option, "-", "--json"]);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"calc: --json and {option} - would both write to standard output; give {option} a file name, or leave out --json.", run.Err.TrimEnd());
        Assert.Equal("", run.Out);
    }

    [Fact]
    public void Dot_Dash_WithABadSvgPath_PrintsNothing()
    {
        string svg = _temp.PathOf("missing/g.svg");
        var run = CalcRun.Of([.. Program, "--dot", "-", "--svg", svg]);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"calc: --svg {svg}: the folder {_temp.PathOf("missing")} does not exist.", run.Err.TrimEnd());
        Assert.Equal("", run.Out);
    }

    [Fact]
    public void TheHelp_SaysWhatADashDoes()
    {
        var root = new System.CommandLine.Command("sharpgrad") { new System.CommandLine.Help.HelpOption() };
        root.Subcommands.Add(CalcCommand.Create());
        var help = new StringWriter();
        root.Parse(["calc", "--help"]).Invoke(new System.CommandLine.InvocationConfiguration { Output = help });
        string text = string.Join(' ', help.ToString().Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries)); // unwrapped
        Assert.Contains("--dot <FILE> Write the graph as Graphviz DOT to FILE; - prints it to standard output alone (the result then goes to standard error; not with --json), as in --dot - | dot -Tpng.", text);
        Assert.Contains("--svg <FILE> Write the graph as an SVG picture to FILE; - prints it to standard output alone (the result then goes to standard error; not with --json).", text);
    }

    [Fact]
    public void TheCommand_PrintsTheDotAloneOnItsStandardOutput()
    {
        var (code, stdout, stderr) = Shell.RunSharpGrad("dotnet", [typeof(CalcRunner).Assembly.Location, "calc", .. Program, "--dot", "-"]);
        Assert.True(code == 0, stderr);
        Assert.StartsWith("digraph computational_graph {", stdout);
        Assert.EndsWith("}", stdout.TrimEnd());
        Assert.Equal(Result, stderr.Replace("\r\n", "\n"));
    }

    /// <summary>
    /// <c>--dot /dev/stdout &gt;&gt; out.txt</c> in a shell, and the same through a symbolic link to /dev/stdout and through
    /// /proc/thread-self/fd/1: the picture is appended after what the file held, as with "-" (the result goes to standard
    /// error), and the file is the same file afterwards (same inode). It used to be replaced by a rename, losing the
    /// earlier line.
    /// </summary>
    [StandardStreamTheory]
    [InlineData("/dev/stdout")]
    [InlineData("link")]
    [InlineData("/proc/thread-self/fd/1")]
    public void StandardOutputByAnotherName_RedirectedToAFile_IsAppendedTo(string picture)
    {
        string output = _temp.Write("out.txt", "earlier line\n"u8.ToArray());
        if (picture == "link")
        {
            File.CreateSymbolicLink(_temp.PathOf("link"), "/dev/stdout");
            picture = _temp.PathOf("link");
        }
        string inode = Shell.Run("stat", "-c", "%i", output).Trim();
        string dll = typeof(CalcRunner).Assembly.Location;
        var (code, stdout, stderr) = Shell.RunSharpGrad("sh", "-c", "dotnet \"$0\" calc 'y = x * x + x' x=3 --dot \"$2\" >> \"$1\"", dll, output, picture);
        Assert.True(code == 0, stderr);
        Assert.Equal("", stdout);
        string text = File.ReadAllText(output);
        Assert.StartsWith("earlier line\ndigraph computational_graph {\n", text);
        Assert.EndsWith("}\n", text); // the picture alone: no "wrote" line, no result
        Assert.Contains($"op0 -> op1 [label=<<table border=\"0\" cellborder=\"0\" cellspacing=\"0\" cellpadding=\"1\">{Edge("9", "1")}</table>>];", text);
        Assert.Equal(Result, stderr.Replace("\r\n", "\n"));
        Assert.Equal(inode, Shell.Run("stat", "-c", "%i", output).Trim());
        Assert.Contains("out.txt", _temp.Entries());
        Assert.DoesNotContain(_temp.Entries(), e => e.EndsWith(".tmp", StringComparison.Ordinal)); // no temporary file left beside it
    }

    [StandardStreamFact]
    public void DashAndDevStdout_AreBothStandardOutput_AndRefused()
    {
        var run = CalcRun.Of([.. Program, "--dot", "-", "--svg", "/dev/stdout"]);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("calc: --dot - and --svg /dev/stdout would both write to standard output, running the two pictures together; write one of them to a file.", run.Err.TrimEnd());
        var json = CalcRun.Of([.. Program, "--svg", "/dev/stdout", "--json"]);
        Assert.Equal(2, json.ExitCode);
        Assert.Equal("calc: --json and --svg /dev/stdout would both write to standard output; give --svg a file name, or leave out --json.", json.Err.TrimEnd());
    }
}
