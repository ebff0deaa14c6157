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
