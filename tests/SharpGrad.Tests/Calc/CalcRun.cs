using System.Text.Json;
using SharpGrad.Cli.Calc;

namespace SharpGrad.Tests.Calc;

/// <summary>Runs <c>sharpgrad calc</c> in-process and captures what it prints.</summary>
internal sealed record CalcRun(int ExitCode, string Out, string Err)
{
    public static CalcRun Of(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = CalcRunner.Run(args, stdout, stderr);
        return new CalcRun(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs with --json and parses the single object it prints.</summary>
    public static JsonElement Json(params string[] args)
    {
        var run = Of([.. args, "--json"]);
        Assert.True(run.ExitCode == 0, run.Err);
        using var doc = JsonDocument.Parse(run.Out);
        return doc.RootElement.Clone();
    }
}
