using System.Diagnostics;

namespace SharpGrad.Tests.Toolkit;

/// <summary>Small external commands the file-system tests need (Linux).</summary>
internal static class Shell
{
    /// <summary>Runs <paramref name="program"/>, asserts it succeeded and returns what it printed.</summary>
    public static string Run(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true })!;
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        return output;
    }

    /// <summary>
    /// Runs <paramref name="program"/> with <paramref name="arguments"/>, a command line that ends by running sharpgrad
    /// (through sh or runuser, say), and returns its exit code and what it printed; fails if it runs over a minute.
    /// </summary>
    public static (int Code, string Out, string Err) RunSharpGrad(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in arguments)
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(), stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(60_000), "sharpgrad did not finish");
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>The line that ends every refusal of the command line's parser.</summary>
    public const string HelpFooter = "Run 'sharpgrad --help' or 'sharpgrad COMMAND --help' for the commands and options.";

    /// <summary>
    /// Runs this build's sharpgrad with <paramref name="arguments"/> in a process of its own, asserts that it refused them
    /// (exit code 2, nothing on standard output), and returns what it printed on standard error, with \n line ends.
    /// </summary>
    public static string RefusedBySharpGrad(params string[] arguments)
    {
        var (code, stdout, stderr) = RunSharpGrad("dotnet", [typeof(SharpGrad.Cli.Train.TrainCommand).Assembly.Location, .. arguments]);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        return stderr.Replace("\r\n", "\n");
    }

    /// <summary>The file type as <c>stat -L</c> names it, e.g. "character special file", "regular file", "fifo".</summary>
    public static string FileType(string path) => Run("stat", "-L", "-c", "%F", path).Trim();
}
