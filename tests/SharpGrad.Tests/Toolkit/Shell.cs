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

    /// <summary>The file type as <c>stat -L</c> names it, e.g. "character special file", "regular file", "fifo".</summary>
    public static string FileType(string path) => Run("stat", "-L", "-c", "%F", path).Trim();
}
