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

    /// <summary>The file type as <c>stat -L</c> names it, e.g. "character special file", "regular file", "fifo".</summary>
    public static string FileType(string path) => Run("stat", "-L", "-c", "%F", path).Trim();
}
