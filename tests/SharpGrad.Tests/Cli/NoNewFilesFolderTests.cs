using SharpGrad.Cli.Train;

namespace SharpGrad.Tests.Cli;

/// <summary>A test that needs Linux's /proc: skipped elsewhere.</summary>
public sealed class ProcFactAttribute : FactAttribute
{
    public ProcFactAttribute()
    {
        if (!OperatingSystem.IsLinux() || !Directory.Exists("/proc")) Skip = "needs Linux's /proc";
    }
}

/// <summary>
/// A folder that exists but makes no new files (/proc answers "no such file" to a create) is refused in words: the
/// message used to be .NET's "Could not find file '/proc'.", naming the folder as a missing file. Nothing is created
/// there (the kernel refuses), and training never starts.
/// </summary>
[Collection("KernelSettings")]
public sealed class NoNewFilesFolderTests
{
    [ProcFact]
    public void Save_IntoProc_IsRefusedSayingTheFolderTakesNoNewFiles()
    {
        CliRun.AssertTrainRefused(new TrainOptions { SavePath = "/proc/m.safetensors" }, "sharpgrad train: --save /proc/m.safetensors: cannot write there (/proc takes no new files).");
    }
}
