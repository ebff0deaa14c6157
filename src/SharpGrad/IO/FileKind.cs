using System.Runtime.InteropServices;

namespace SharpGrad.IO;

/// <summary>What a path names, after following symbolic links.</summary>
internal enum FileKind
{
    /// <summary>Nothing exists under the path.</summary>
    Missing,
    /// <summary>A regular file, or a kind that cannot be told on this platform (treated as a regular file).</summary>
    Regular,
    /// <summary>A folder.</summary>
    Directory,
    /// <summary>A character or block device, a FIFO or a socket: something a rename must never replace.</summary>
    Special,
}

/// <summary>
/// Tells regular files from devices, FIFOs and sockets. .NET reports all of them as <see cref="FileAttributes.Normal"/>
/// on Unix and has no public file-type API, so on Linux this asks the kernel with <c>statx(2)</c> for
/// <c>STATX_TYPE</c>; <c>struct statx</c> has one layout on every architecture, and <c>stx_mode</c> is the
/// 16-bit field at byte 28. Elsewhere (or if <c>statx</c> is unavailable) an existing non-folder counts as regular.
/// </summary>
internal static partial class FileKinds
{
    private const int AtFdCwd = -100;
    private const uint StatxType = 0x1;
    private const int StatxSize = 256;
    private const int ModeOffset = 28;
    private const int TypeMask = 0xF000; // S_IFMT
    private const int RegularType = 0x8000; // S_IFREG
    private const int DirectoryType = 0x4000; // S_IFDIR
    private const int NoEntry = 2; // ENOENT
    private const int NotADirectory = 20; // ENOTDIR: a parent in the path is a file

    /// <summary>Classifies <paramref name="path"/>, following symbolic links.</summary>
    public static FileKind Of(string path)
    {
        if (Directory.Exists(path)) return FileKind.Directory;
        if (!File.Exists(path)) return FileKind.Missing;
        if (!OperatingSystem.IsLinux()) return FileKind.Regular;
        byte[] status = new byte[StatxSize];
        int result;
        try
        {
            result = Statx(AtFdCwd, path, 0, StatxType, status);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return FileKind.Regular;
        }
        if (result != 0)
        {
            int error = Marshal.GetLastPInvokeError();
            return error is NoEntry or NotADirectory ? FileKind.Missing : FileKind.Regular;
        }
        int type = BitConverter.ToUInt16(status, ModeOffset) & TypeMask;
        return type switch
        {
            RegularType => FileKind.Regular,
            DirectoryType => FileKind.Directory,
            _ => FileKind.Special,
        };
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int Statx(int directory, string path, int flags, uint mask, byte[] status);
}
