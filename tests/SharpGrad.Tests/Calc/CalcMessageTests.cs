using System.Text.Json;

namespace SharpGrad.Tests.Calc;

/// <summary>Messages about characters that are not allowed in names, tables aligned on a terminal, and infinities in JSON.</summary>
public class CalcMessageTests
{
    [Fact]
    public void EmojiInAValueName_SaysWhichCharacterAndWhere()
    {
        var run = CalcRun.Of("y = x * 2", "x🍎=1");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("calc: 'x🍎' in 'x🍎=1' is not a name: '🍎' (U+1F34E) at column 2 is not allowed in a name (names are letters, digits and '_').", run.Err.TrimEnd());
        Assert.DoesNotContain("quotes", run.Err);
    }

    [Fact]
    public void EmojiInAProgramName_SaysWhichCharacterAndWhere()
    {
        var run = CalcRun.Of("y = x🍎 * 2", "x=1");
        Assert.Equal(2, run.ExitCode);
        var lines = run.Err.TrimEnd().Split('\n');
        Assert.Equal("calc: syntax error at line 1, column 6: '🍎' (U+1F34E) is not allowed in a name (names are letters, digits and '_')", lines[0]);
        Assert.Equal("  " + new string(' ', 5) + "^", lines[2]);
    }

    [Fact]
    public void NameStartingWithADigit_InAValue_IsNamed()
    {
        var run = CalcRun.Of("y = x * 2", "1x=1");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("'1' at column 1 is not allowed to start a name", run.Err);
    }

    [Fact]
    public void CjkNames_AreAlignedByDisplayWidth()
    {
        var run = CalcRun.Of("苹果价格 = 苹果 * 个数; 总价 = 苹果价格 * tax", "苹果=100", "个数=2", "tax=1.1");
        Assert.Equal(0, run.ExitCode);
        var table = run.Out.Split('\n').SkipWhile(l => !l.StartsWith("input")).TakeWhile(l => l.Length > 0).ToList();
        Assert.Equal(4, table.Count);
        // Every row ends at the same terminal column, a CJK character counting two.
        int Width(string s) => s.EnumerateRunes().Sum(r => r.Value >= 0x4E00 && r.Value <= 0x9FFF ? 2 : 1);
        Assert.All(table, l => Assert.Equal(Width(table[0]), Width(l)));
        Assert.Contains("苹果      100", run.Out); // "苹果" is 4 columns wide, padded to the 5 of "input"
    }

    [Fact]
    public void Json_WritesInfinityAsAString_AndNaNAsNull()
    {
        var inf = CalcRun.Json("sqrt(x)", "x=0");
        Assert.Equal(JsonValueKind.String, inf.GetProperty("gradients").GetProperty("x").ValueKind);
        Assert.Equal("Infinity", inf.GetProperty("gradients").GetProperty("x").GetString());
        var negInf = CalcRun.Json("-sqrt(x)", "x=0");
        Assert.Equal("-Infinity", negInf.GetProperty("gradients").GetProperty("x").GetString());
        var nan = CalcRun.Json("x^y", "x=-2", "y=2");
        Assert.Equal(JsonValueKind.Null, nan.GetProperty("gradients").GetProperty("y").ValueKind);
    }
}
