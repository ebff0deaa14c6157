using SharpGrad.Tests.Toolkit;

namespace SharpGrad.Tests.Cli;

/// <summary>
/// A mistyped option or command is named with the nearest real one ("did you mean --epochs?"), and the value after a
/// mistyped option is not reported as a second unknown argument (the parser's two lines for "--epoch 1").
/// </summary>
public sealed class MistypedOptionTests
{
    [Fact]
    public void AMistypedOption_NamesTheNearestOne_AndNotItsValue()
    {
        Assert.Equal($"sharpgrad train: Unrecognized command or argument '--epoch'; did you mean --epochs?\n{Shell.HelpFooter}\n", Shell.RefusedBySharpGrad("train", "--epoch", "1"));
        Assert.Equal($"sharpgrad: Unrecognized command or argument 'trian'; did you mean train?\n{Shell.HelpFooter}\n", Shell.RefusedBySharpGrad("trian"));
    }

    [Fact]
    public void AnOptionFarFromEveryName_GetsNoGuess_AndTwoMistakesGetTwoLines()
    {
        Assert.Equal(
            $"sharpgrad train: Unrecognized command or argument '--zzz'.\nsharpgrad train: Unrecognized command or argument '--lrr'; did you mean --lr?\n{Shell.HelpFooter}\n",
            Shell.RefusedBySharpGrad("train", "--zzz", "3", "--lrr", "0.1"));
    }

    [Fact]
    public void AMistypedRequiredOption_IsNotAlsoReportedMissing()
    {
        Assert.Equal($"sharpgrad eval: Unrecognized command or argument '--modle'; did you mean --model?\n{Shell.HelpFooter}\n", Shell.RefusedBySharpGrad("eval", "--modle", "m.safetensors"));
    }

    [Fact]
    public void CalcsMistypedOption_GetsAGuessToo()
    {
        var run = SharpGrad.Tests.Calc.CalcRun.Of("--jsn", "x * 2", "x=1");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("calc: unknown option '--jsn' (did you mean --json?); the options are --json, --explain, --order 1|2, --dot FILE and --svg FILE (see sharpgrad calc --help).", run.Err.TrimEnd());
    }

    [Theory]
    [InlineData("", "", 0)]
    [InlineData("--epoch", "--epochs", 1)] // one insertion
    [InlineData("--lrr", "--lr", 1)] // one deletion
    [InlineData("trian", "train", 2)] // two substitutions (the swapped i and a)
    [InlineData("kitten", "sitting", 3)] // k→s, e→i, +g
    [InlineData("abc", "", 3)]
    public void EditDistance_IsTheFewestSingleCharacterEdits(string a, string b, int expected)
    {
        Assert.Equal(expected, SharpGrad.Cli.Program.EditDistance(a, b));
        Assert.Equal(expected, SharpGrad.Cli.Program.EditDistance(b, a));
    }
}
