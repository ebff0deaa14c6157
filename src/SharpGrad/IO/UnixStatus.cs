using System.Runtime.InteropServices;

namespace SharpGrad.IO;

/// <summary>
/// What .NET does not tell about a path on Linux, asked of the kernel with <c>statx(2)</c>: why it cannot be looked at
/// (the error number), who owns it (<c>stx_uid</c>, the 32-bit field at byte 20) and which file it is (device and inode); <see cref="FileKinds"/> asks its
/// file type through <see cref="Status"/> too. <c>struct statx</c> has one layout on every architecture.
/// Elsewhere, or if the call is unavailable, every answer is null.
/// </summary>
internal static partial class UnixStatus
{
    private const int AtFdCwd = -100;
    /// <summary>STATX_TYPE: the file type bits of <c>stx_mode</c>.</summary>
    public const uint StatxType = 0x1;
    private const uint StatxUid = 0x8; // STATX_UID
    private const uint StatxInode = 0x100; // STATX_INO
    private const int StatxSize = 256;
    private const int UidOffset = 20;
    private const int InodeOffset = 32; // stx_ino, 64 bits
    private const int DeviceMajorOffset = 136; // stx_dev_major, then stx_dev_minor: always filled in
    private const int AttributesOffset = 8; // stx_attributes, 64 bits
    private const int AttributesMaskOffset = 56; // stx_attributes_mask: which attributes the file system reports
    private const ulong AttributeImmutable = 0x10; // STATX_ATTR_IMMUTABLE
    private const ulong AttributeAppend = 0x20; // STATX_ATTR_APPEND

    /// <summary>EACCES: a folder on the way cannot be searched.</summary>
    public const int PermissionDenied = 13;

    /// <summary>ENAMETOOLONG: the path or one of its names is longer than the system allows.</summary>
    public const int NameTooLong = 36;

    /// <summary>The error number of looking at <paramref name="path"/> (links followed), or null when it can be looked at.</summary>
    public static int? Error(string path) => Status(path, StatxUid, out int error) is not null || error == 0 ? null : error;

    /// <summary>The user id owning <paramref name="path"/> (links followed), or null when it cannot be told.</summary>
    public static uint? Owner(string path) => Status(path, StatxUid, out _) is { } status ? BitConverter.ToUInt32(status, UidOffset) : null;

    /// <summary>
    /// The device and inode number of <paramref name="path"/> (links followed): two paths with the same identity are one
    /// file, whatever their names (hard links, one folder mounted at two places, a file system that ignores case).
    /// Null when the path cannot be looked at (it does not exist, say), off Linux, or when the kernel gives no inode.
    /// </summary>
    public static (ulong Device, ulong Inode)? Identity(string path)
    {
        if (Status(path, StatxInode, out _) is not { } status || (BitConverter.ToUInt32(status, 0) & StatxInode) == 0) return null;
        ulong device = ((ulong)BitConverter.ToUInt32(status, DeviceMajorOffset) << 32) | BitConverter.ToUInt32(status, DeviceMajorOffset + 4);
        return (device, BitConverter.ToUInt64(status, InodeOffset));
    }

    /// <summary>
    /// Whether <paramref name="path"/> (links followed) is marked immutable (<c>chattr +i</c>) or append-only
    /// (<c>chattr +a</c>): then not even root may rename, replace or delete it, whatever its folder allows. Read from
    /// <c>stx_attributes</c>, without opening the file; null when it cannot be told (off Linux, a file system that
    /// does not report these attributes, a path that cannot be looked at).
    /// </summary>
    public static FileLock? Lock(string path)
    {
        if (Status(path, StatxType, out _) is not { } status) return null;
        ulong reported = BitConverter.ToUInt64(status, AttributesMaskOffset), attributes = BitConverter.ToUInt64(status, AttributesOffset);
        if ((attributes & reported & AttributeImmutable) != 0) return FileLock.Immutable;
        if ((attributes & reported & AttributeAppend) != 0) return FileLock.AppendOnly;
        return (reported & (AttributeImmutable | AttributeAppend)) == (AttributeImmutable | AttributeAppend) ? FileLock.None : null;
    }

    /// <summary>"immutable" or "append-only", for messages.</summary>
    public static string Name(FileLock @lock) => @lock == FileLock.AppendOnly ? "append-only" : "immutable";

    /// <summary>The letter <c>chattr</c> sets and clears the attribute with: 'i' or 'a'.</summary>
    public static char Flag(FileLock @lock) => @lock == FileLock.AppendOnly ? 'a' : 'i';

    /// <summary>The effective user id of this process, or null off Linux.</summary>
    public static uint? EffectiveUser()
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            return GetEffectiveUser();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// Whether this process may rename a file over <paramref name="file"/>, an existing entry of a folder with the
    /// sticky bit (as /tmp): only the file's owner, the folder's owner or root may; null when it cannot be told.
    /// </summary>
    public static bool? MayReplaceInStickyFolder(string file)
    {
        if (OperatingSystem.IsWindows()) return true;
        string folder = Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".";
        try
        {
            if ((File.GetUnixFileMode(folder) & UnixFileMode.StickyBit) == 0) return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        if (EffectiveUser() is not uint me || Owner(file) is not uint owner || Owner(folder) is not uint folderOwner) return null;
        return me == 0 || me == owner || me == folderOwner;
    }

    /// <summary>
    /// The kernel's <c>struct statx</c> of <paramref name="path"/> (links followed) holding at least the fields of
    /// <paramref name="mask"/>, or null: with the error number when the path cannot be looked at, with 0 off Linux or
    /// when <c>statx</c> is unavailable.
    /// </summary>
    public static byte[]? Status(string path, uint mask, out int error)
    {
        error = 0;
        if (!OperatingSystem.IsLinux()) return null;
        byte[] status = new byte[StatxSize];
        try
        {
            if (Statx(AtFdCwd, path, 0, mask, status) == 0) return status;
            error = Marshal.GetLastPInvokeError();
            return null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int Statx(int directory, string path, int flags, uint mask, byte[] status);

    /// <summary>
    /// Makes <paramref name="newPath"/> a second name (hard link) of the file <paramref name="existing"/>, on Linux;
    /// false where that is not possible (another system, a file system without hard links, an immutable file, a name
    /// already taken), and nothing is changed then.
    /// </summary>
    public static bool TryHardLink(string existing, string newPath)
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            return Link(existing, newPath) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int Link(string existing, string newPath);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial uint GetEffectiveUser();
}

/// <summary>The file attributes that forbid renaming or replacing a file, whoever asks (<see cref="UnixStatus.Lock"/>).</summary>
internal enum FileLock
{
    /// <summary>Neither attribute is set.</summary>
    None,
    /// <summary>The file may not be changed, renamed or deleted (<c>chattr +i</c>).</summary>
    Immutable,
    /// <summary>The file may only be appended to: not renamed, replaced or deleted (<c>chattr +a</c>).</summary>
    AppendOnly,
}
