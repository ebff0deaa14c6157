using System.Runtime.InteropServices;

namespace SharpGrad.IO;

/// <summary>
/// What .NET does not tell about a path on Linux, asked of the kernel with <c>statx(2)</c> (as <see cref="FileKinds"/>
/// does): why it cannot be looked at (the error number).
/// Elsewhere, or if the call is unavailable, every answer is null.
/// </summary>
internal static partial class UnixStatus
{
    private const int AtFdCwd = -100;
    private const uint StatxType = 0x1; // STATX_TYPE: any field will do, the call's error is the answer
    private const int StatxSize = 256;

    /// <summary>EACCES: a folder on the way cannot be searched.</summary>
    public const int PermissionDenied = 13;

    /// <summary>ENAMETOOLONG: the path or one of its names is longer than the system allows.</summary>
    public const int NameTooLong = 36;

    /// <summary>The error number of looking at <paramref name="path"/> (links followed), or null when it can be looked at.</summary>
    public static int? Error(string path) => Stat(path, out int error) || error == 0 ? null : error;

    private static bool Stat(string path, out int error)
    {
        error = 0;
        if (!OperatingSystem.IsLinux()) return false;
        byte[] status = new byte[StatxSize];
        try
        {
            if (Statx(AtFdCwd, path, 0, StatxType, status) != 0)
            {
                error = Marshal.GetLastPInvokeError();
                return false;
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
        return true;
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int Statx(int directory, string path, int flags, uint mask, byte[] status);
}
