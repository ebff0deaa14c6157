using System.Diagnostics;

namespace SharpGrad.Tests.Samples;

/// <summary>
/// Builds the sample programs once, in Release (the debug library is far too slow for a numerical gradient check
/// of 39,760 parameters), and runs them as a user would with <c>dotnet SAMPLE.dll</c>.
/// </summary>
public sealed class SampleRunner
{
    public SampleRunner()
    {
        var (exitCode, output) = Run("dotnet", ["build", Path.Combine(RepositoryRoot, "samples", "Samples.slnf"), "-c", "Release", "-nodeReuse:false", "-v", "quiet", "-nologo"], TimeSpan.FromMinutes(5));
        if (exitCode != 0) throw new InvalidOperationException("Building the samples failed:\n" + output);
    }

    /// <summary>The folder holding SharpGrad.slnx, found by walking up from the test binaries.</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "SharpGrad.slnx"))) return dir.FullName;
            throw new InvalidOperationException("SharpGrad.slnx not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>Runs a built sample and returns its standard output; fails on a non-zero exit code.</summary>
    public string RunSample(string name, params string[] args)
    {
        var dll = Path.Combine(RepositoryRoot, "samples", name, "bin", "Release", "net10.0", name + ".dll");
        var (exitCode, output) = Run("dotnet", [dll, .. args], TimeSpan.FromMinutes(2));
        Assert.True(exitCode == 0, $"{name} exited with {exitCode}:\n{output}");
        return output;
    }

    private static (int ExitCode, string Output) Run(string fileName, string[] args, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepositoryRoot };
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', args)} did not finish within {timeout}.");
        }
        return (process.ExitCode, stdout + stderr.Result);
    }
}
