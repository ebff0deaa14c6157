using SharpGrad.Tests.Toolkit;

namespace SharpGrad.Tests.Calc;

/// <summary>Bad programs and values: one clear message on stderr, nothing on stdout, exit code 2.</summary>
public class CalcErrorTests
{
    private static string FailsWithCode2(params string[] args)
    {
        var run = CalcRun.Of(args);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.StartsWith("calc: ", run.Err);
        return run.Err;
    }

    [Fact]
    public void SyntaxError_ShowsTheProgramWithACaretUnderTheColumn()
    {
        string err = FailsWithCode2("y = x * * 2", "x=1");
        var lines = err.TrimEnd().Split('\n');
        Assert.Equal("calc: syntax error at line 1, column 9: expected a number, a name, a function call or '(', found '*'", lines[0]);
        Assert.Equal("  y = x * * 2", lines[1]);
        Assert.Equal("  " + new string(' ', 8) + "^", lines[2]);
    }

    [Fact]
    public void SyntaxError_OnSecondLine_PointsIntoThatLine()
    {
        string err = FailsWithCode2("a = x + 1\nb = (a * 2", "x=1");
        var lines = err.TrimEnd().Split('\n');
        Assert.Contains("line 2, column 11: expected ')', found the end of the program", lines[0]);
        Assert.Equal("  b = (a * 2", lines[1]);
        Assert.Equal("  " + new string(' ', 10) + "^", lines[2]);
    }

    [Fact]
    public void MissingOperator_SaysWhatWasExpected()
    {
        string err = FailsWithCode2("y = x 2", "x=1");
        Assert.Contains("column 7: expected an operator, ';' or the end of the statement, found '2'", err);
    }

    [Fact]
    public void UnknownFunction_IsOneLine()
    {
        string err = FailsWithCode2("y = foo(x)", "x=1");
        Assert.Equal("calc: unknown function 'foo' at column 5; the functions are exp, log, sqrt, sin, cos, tanh, sigmoid, relu, abs.", err.TrimEnd());
    }

    [Fact]
    public void UnknownFunctionWithTwoArguments_IsReportedAsUnknown_NotAsAComma()
    {
        string err = FailsWithCode2("max(x,y)", "x=1", "y=2");
        Assert.Equal("calc: unknown function 'max' at column 1; the functions are exp, log, sqrt, sin, cos, tanh, sigmoid, relu, abs.", err.TrimEnd());
    }

    [Theory]
    [InlineData("y = exp(x, 2)", 10)]
    [InlineData("y = x, 2", 6)]
    [InlineData("y = (x, 2)", 7)]
    public void CommaAfterAKnownFunctionOrElsewhere_SaysFunctionsTakeOneArgument(string program, int column)
    {
        string err = FailsWithCode2(program, "x=1");
        Assert.StartsWith($"calc: syntax error at line 1, column {column}: ',' is not allowed: functions take one argument, e.g. exp(x)", err);
    }

    [Fact]
    public void InputWithoutValue_IsNamed()
    {
        string err = FailsWithCode2("y = x * z", "x=1");
        Assert.Equal("calc: no value for input 'z'; give it as z=VALUE.", err.TrimEnd());
    }

    [Fact]
    public void ValueForUnusedName_IsRejected()
    {
        string err = FailsWithCode2("y = x * 2", "x=1", "w=3");
        Assert.Equal("calc: a value was given for 'w', which the program does not use.", err.TrimEnd());
    }

    [Fact]
    public void ValueForComputedName_IsRejected()
    {
        string err = FailsWithCode2("t = x * 2; y = t + 1", "x=1", "t=3");
        Assert.Contains("'t' is computed by the program", err);
    }

    [Fact]
    public void NameAssignedTwice_IsRejected()
    {
        string err = FailsWithCode2("a = x * 2; a = x + 1", "x=1");
        Assert.Equal("calc: 'a' is assigned twice (statements 1 and 2); give each intermediate its own name.", err.TrimEnd());
    }

    [Fact]
    public void NameUsedBeforeItsAssignment_IsRejected()
    {
        string err = FailsWithCode2("a = b * 2; b = x + 1", "x=1");
        Assert.Contains("'b' is used at column 5 before it is assigned in statement 2", err);
    }

    [Theory]
    [InlineData("x=abc", "'abc'")]
    [InlineData("x=", "''")]
    [InlineData("x=NaN", "'NaN'")]
    [InlineData("x=Infinity", "'Infinity'")]
    public void NonNumberValue_IsRejected(string value, string quoted)
    {
        string err = FailsWithCode2("y = x * 2", value);
        Assert.Equal($"calc: the value of 'x' must be a finite number, not {quoted}.", err.TrimEnd());
    }

    [Theory]
    [InlineData("--jsn", " (did you mean --json?)", "x * y", "x=2", "y=3", "--jsn")]        // after the values
    [InlineData("--jsn", " (did you mean --json?)", "x * y", "--jsn", "x=2", "y=3")]        // between the program and the values
    [InlineData("--dott", " (did you mean --dot?)", "x * y", "x=2", "y=3", "--dott=g.dot")] // joined to its value
    [InlineData("-j", "", "x * y", "x=2", "y=3", "-j")] // no option within 2 edits: no guess
    public void MistypedOption_IsNamedAsAnUnknownOption(string option, string guess, params string[] args)
    {
        // It used to be taken for a NAME=VALUE pair: "expected NAME=VALUE, got '--jsn' (the program must be one
        // argument: put it in quotes)".
        string err = FailsWithCode2(args);
        Assert.Equal($"calc: unknown option '{option}'{guess}; the options are --json, --explain, --order 1|2, --dot FILE and --svg FILE (see sharpgrad calc --help).", err.TrimEnd());
    }

    [Fact]
    public void MistypedLongOption_BeforeTheProgram_IsNamedAsAnUnknownOption()
    {
        // Taken for the program, it made the real program the culprit: "expected NAME=VALUE, got 'x * y'".
        string err = FailsWithCode2("--jsn", "x * y", "x=2", "y=3");
        Assert.StartsWith("calc: unknown option '--jsn' (did you mean --json?);", err);
    }

    [Theory]
    [InlineData("-x", -1.0)]
    [InlineData("--x", 1.0)]
    public void ProgramStartingWithMinus_IsStillTheProgram(string program, double gradient)
    {
        var run = CalcRun.Of(program, "x=2", "--json");
        Assert.True(run.ExitCode == 0, run.Err);
        Assert.Contains($"\"x\": {gradient}", run.Out);
    }

    [Fact]
    public void WordThatIsNotNameEqualsValue_IsRejected()
    {
        string err = FailsWithCode2("y", "=", "x");
        Assert.Contains("expected NAME=VALUE, got '='", err);
    }

    [Fact]
    public void LogOfNegative_NamesTheNodeThatGaveNaN()
    {
        string err = FailsWithCode2("a = x + 1; y = a * log(x)", "x=-2");
        Assert.Equal("calc: 'log(x)' at column 20 gives NaN: log(-2) is undefined, so the output is undefined for these values.", err.TrimEnd());
    }

    [Fact]
    public void DivisionByZero_NamesTheNodeThatGaveInfinity()
    {
        string err = FailsWithCode2("y = 1 / (x - 2) + x", "x=2");
        Assert.Equal("calc: '1 / (x - 2)' at column 5 gives infinity: 1 / 0 is a division by zero, so the output is undefined for these values.", err.TrimEnd());
    }

    [Fact]
    public void OrderOtherThan1Or2_IsRejected()
    {
        string err = FailsWithCode2("y = x", "x=1", "--order", "3");
        Assert.Contains("--order must be 1 or 2", err);
    }

    [Theory]
    [InlineData("y = 1e999", "too large for a double")]
    [InlineData("y = 2×3", "write '*' for multiplication")]
    [InlineData("y = 2−3", "write '-' for subtraction")]
    [InlineData("y = x÷2", "write '/' for division")]
    [InlineData("y = exp(x, 2)", "functions take one argument")]
    public void CommonMistakes_GetASpecificMessage(string program, string expected)
    {
        Assert.Contains(expected, FailsWithCode2(program, "x=1"));
    }

    [Theory]
    [InlineData("y = x * 1e-400", 9)]
    [InlineData("y = x * 0.00000e-330 + 2.5e-999", 24)] // 0.00000e-330 is a true zero; 2.5e-999 is not
    public void ANumberTooSmallForADouble_IsRefusedWithItsColumn_NotTakenAs0(string program, int column)
    {
        string number = program.Split(' ')[^1];
        string err = FailsWithCode2(program, "x=1");
        Assert.Contains($"column {column}", err);
        Assert.Contains($"the number {number} is too small for a double: it would be 0 (the smallest is about 4.9e-324)", err);
    }

    [Fact]
    public void AValueTooSmallForADouble_IsRefused_WhileASubnormalOrAWrittenZeroIsKept()
    {
        Assert.Equal("calc: the value of 'x', 1e-400, is too small for a double: it would be 0 (the smallest is about 4.9e-324).",
            FailsWithCode2("y = x", "x=1e-400").TrimEnd());
        var subnormal = CalcRun.Of("y = x * 1e-310", "x=0e-5");
        Assert.True(subnormal.ExitCode == 0, subnormal.Err);
    }

    [Fact]
    public void LogOfZero_IsMinusInfinityAtASingularPoint_NotAnOverflow()
    {
        string err = FailsWithCode2("y = log(x)", "x=0");
        Assert.Contains("gives −infinity", err);
        Assert.Contains("singular point", err);
        Assert.DoesNotContain("overflows", err);
        Assert.Contains("overflows", FailsWithCode2("y = exp(x)", "x=1000"));
    }

    [Fact]
    public void DotAndSvgOnTheSamePath_AreRefusedBeforeWritingAnything()
    {
        using var temp = new TempDirectory("sharpgrad-calc-");
        string path = temp.PathOf("g"), same = Path.Combine(temp.Path, ".", "g"); // one file, spelled two ways
        var run = CalcRun.Of("y = x * 2", "x=1", "--dot", path, "--svg", same);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"calc: --dot and --svg both name {same}; give them different paths (one would replace the other).", run.Err.TrimEnd());
        Assert.Equal("", run.Out);
        Assert.Empty(Directory.GetFileSystemEntries(temp.Path));
    }

    [Fact]
    public void UnwritableDotPath_FailsWithoutLeavingAFile()
    {
        string dir = Path.Combine(Path.GetTempPath(), "sharpgrad-calc-" + Guid.NewGuid().ToString("N"));
        string path = Path.Combine(dir, "missing", "g.dot");
        var run = CalcRun.Of("y = x * 2", "x=1", "--dot", path);
        Assert.Equal(2, run.ExitCode); // a path that cannot be written is bad input, like any other
        Assert.Equal($"calc: --dot {path}: the folder {Path.GetDirectoryName(path)} does not exist.", run.Err.TrimEnd()); // checked before the work, as train and export check theirs
        Assert.DoesNotContain(".tmp", run.Err);
        Assert.False(File.Exists(path));
        var empty = CalcRun.Of("y = x * 2", "x=1", "--dot", "");
        Assert.Equal(2, empty.ExitCode);
        Assert.Contains("--dot needs a file name.", empty.Err);
        Assert.DoesNotContain("Parameter", empty.Err);
    }

    [Fact]
    public void WritingPictures_ReplacesTheFileWholeAndLeavesNoTemporaryFiles()
    {
        using var temp = new TempDirectory("sharpgrad-calc-");
        string dot = temp.PathOf("g.dot"), svg = temp.PathOf("g.svg");
        File.WriteAllText(dot, "old");
        var run = CalcRun.Of("y = x * 2", "x=1", "--dot", dot, "--svg", svg);
        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("digraph", File.ReadAllText(dot));
        Assert.StartsWith("<svg", File.ReadAllText(svg));
        Assert.Equal(["g.dot", "g.svg"], Directory.GetFiles(temp.Path).Select(f => Path.GetFileName(f)!).Order().ToArray());
    }
}
