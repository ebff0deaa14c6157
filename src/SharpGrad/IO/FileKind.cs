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
/// on Unix and has no public file-type API, so on Linux this asks the kernel (<see cref="UnixStatus.Status"/>) for
/// <c>STATX_TYPE</c>; <c>stx_mode</c> is the 16-bit field at byte 28. Elsewhere (or if <c>statx</c> is unavailable) an
/// existing non-folder counts as regular.
/// </summary>
internal static class FileKinds
{
    private const int ModeOffset = 28;
    private const int TypeMask = 0xF000; // S_IFMT
    private const int RegularType = 0x8000; // S_IFREG
    private const int DirectoryType = 0x4000; // S_IFDIR
    private const int NoEntry = 2; // ENOENT
    private const int NotADirectory = 20; // ENOTDIR: a parent in the path is a file

    /// <summary>Classifies <paramref name="path"/>, following symbolic links.</summary>
    public static FileKind Of(string path)
    {
        // On Linux one statx answers; .NET's Directory.Exists and File.Exists would each stat the path again.
        if (UnixStatus.Status(path, UnixStatus.StatxType, out int error) is { } status)
        {
            return (BitConverter.ToUInt16(status, ModeOffset) & TypeMask) switch
            {
                RegularType => FileKind.Regular,
                DirectoryType => FileKind.Directory,
                _ => FileKind.Special,
            };
        }
        if (error is NoEntry or NotADirectory) return FileKind.Missing;
        // No statx (off Linux), or another error (a loop of links, a folder on the way that may not be entered): what
        // .NET sees, an entry that exists counting as a regular file.
        if (Directory.Exists(path)) return FileKind.Directory;
        return File.Exists(path) ? FileKind.Regular : FileKind.Missing;
    }
}
