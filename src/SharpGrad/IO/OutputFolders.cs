namespace SharpGrad.IO;

/// <summary>Why a folder that a file is to be written into is not there, in words a user can act on.</summary>
internal static class OutputFolders
{
    /// <summary>
    /// "the folder F does not exist", or "P is a file, not a folder" when a part P of <paramref name="folder"/> is a
    /// file (the kernel's "not a directory", which .NET also reports as a missing folder), or that F cannot be reached
    /// (a folder on the way may not be entered) or has a path too long to look at.
    /// </summary>
    /// <param name="folder">A folder that <see cref="Directory.Exists(string)"/> says is not there, links already followed.</param>
    public static string WhyMissing(string folder)
    {
        for (string? part = folder; !string.IsNullOrEmpty(part); part = Path.GetDirectoryName(part))
        {
            if (Directory.Exists(part)) break;
            if (File.Exists(part)) return $"{part} is a file, not a folder";
        }
        // .NET calls a folder it may not enter, or a path too long to look at, missing too: the kernel tells them apart.
        return UnixStatus.Error(folder) switch
        {
            UnixStatus.PermissionDenied => $"the folder {folder} cannot be reached (permission denied: a folder on the way may not be entered)",
            UnixStatus.NameTooLong => $"the path of the folder {folder} is too long for the system ({AtomicFile.NameLength(folder)} {AtomicFile.NameUnit})",
            _ => $"the folder {folder} does not exist",
        };
    }
}
