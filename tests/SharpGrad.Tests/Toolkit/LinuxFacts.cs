namespace SharpGrad.Tests.Toolkit;

/// <summary>A test that makes FIFOs with <c>mkfifo</c>: skipped when not on Linux.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux()) Skip = "makes FIFOs with mkfifo: Linux only";
    }
}

/// <summary>
/// A test that makes its own device nodes with <c>mknod</c> in a temporary folder (never touching the system's
/// /dev): skipped when not on Linux or not root.
/// </summary>
public sealed class LinuxRootFactAttribute : FactAttribute
{
    public LinuxRootFactAttribute()
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root") Skip = "makes device nodes with mknod: Linux and root only";
    }
}

/// <summary>A test that tells one file under two names by its device and inode (statx): Linux only.</summary>
public sealed class LinuxInodeFactAttribute : FactAttribute
{
    public LinuxInodeFactAttribute()
    {
        if (!OperatingSystem.IsLinux()) Skip = "compares device and inode with statx: Linux only";
    }
}

/// <summary>A test that reaches standard output by another name (/dev/stdout, /proc/self/fd/1): Linux only.</summary>
public sealed class StandardStreamFactAttribute : FactAttribute
{
    public StandardStreamFactAttribute()
    {
        if (!OperatingSystem.IsLinux()) Skip = StandardStreamTheoryAttribute.Why;
    }
}

/// <summary>The theory form of <see cref="StandardStreamFactAttribute"/>.</summary>
public sealed class StandardStreamTheoryAttribute : TheoryAttribute
{
    internal const string Why = "reaches standard output through /dev/stdout and /proc: Linux only";

    public StandardStreamTheoryAttribute()
    {
        if (!OperatingSystem.IsLinux()) Skip = Why;
    }
}

/// <summary>
/// A test that marks files immutable with <c>chattr +i</c>: needs Linux, root, chattr, and a temp folder on a file
/// system that keeps the attribute (ext4, XFS, Btrfs; not every tmpfs) and reports it through statx; skipped otherwise.
/// </summary>
public sealed class ChattrFactAttribute : FactAttribute
{
    public ChattrFactAttribute()
    {
        if (!Chattr.Works) Skip = "marks files immutable with chattr +i: Linux, root, chattr and a temp folder that keeps the attribute only";
    }
}

/// <summary>Sets and clears the immutable attribute with <c>chattr</c>.</summary>
internal static class Chattr
{
    /// <summary>Whether a file in the temp folder can be made immutable (and, then, not be renamed) and mutable again.</summary>
    public static bool Works { get; } = Probe();

    /// <summary>Marks <paramref name="path"/> immutable; dispose the result to clear the mark (so the file can be deleted).</summary>
    public static IDisposable Immutable(string path)
    {
        Shell.Run("chattr", "+i", path);
        return new Clear(path);
    }

    private sealed class Clear(string path) : IDisposable
    {
        public void Dispose() => Shell.Run("chattr", "-i", path);
    }

    private static bool Probe()
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root" || !File.Exists("/usr/bin/chattr") && !File.Exists("/bin/chattr")) return false;
        using var temp = new TempDirectory("sharpgrad-chattr-probe-");
        string file = temp.Write("f", [1]);
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("chattr", ["+i", file]) { RedirectStandardError = true })!;
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) return false;
        using (new Clear(file))
        {
            try
            {
                File.Move(file, temp.PathOf("g"));
                return false; // the attribute is not enforced here
            }
            catch (UnauthorizedAccessException)
            {
                return SharpGrad.IO.UnixStatus.Lock(file) == SharpGrad.IO.FileLock.Immutable;
            }
        }
    }
}
