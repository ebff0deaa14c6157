using System.Diagnostics;
using SharpGrad.Tests.Toolkit;

namespace SharpGrad.Tests.Samples;

/// <summary>
/// Runs the sample programs as a user would, with <c>dotnet SAMPLE.dll</c>. The test project references them for
/// build order only, so they are built in the same configuration as the tests, next to their own projects.
/// </summary>
internal static class SampleRunner
{
    /// <summary>Runs a built sample and returns its standard output; fails on a non-zero exit code.</summary>
    public static string RunSample(string name, params string[] args)
    {
        // The tests' own output folder is bin/CONFIGURATION/TFM/; the samples' is the same below their project.
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var dll = Repository.PathOf("samples", name, "bin", testOutput.Parent!.Name, testOutput.Name, name + ".dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: build the tests (which builds the samples) first.");

        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Repository.Root };
        info.ArgumentList.Add(dll);
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{name} did not finish within 2 minutes.");
        }
        Assert.True(process.ExitCode == 0, $"{name} exited with {process.ExitCode}:\n{stdout}{stderr.Result}");
        return stdout;
    }
}
