namespace SharpGrad.IO;

/// <summary>
/// The one path a file has once every symbolic link in it is followed, so two different spellings of the same file
/// (<c>g.dot</c> and a link <c>link.svg</c> to it, <c>r/x</c> where <c>r</c> links to <c>.</c>) compare equal, whether
/// the file exists yet or is still to be created. Every same-file check of the <c>sharpgrad</c> commands goes through
/// here, and so does <see cref="AtomicFile"/> when it follows a link to the file it replaces.
/// </summary>
internal static class CanonicalPath
{
    /// <summary>Links followed before giving up, as Linux does (<c>ELOOP</c> after 40).</summary>
    private const int MaxLinks = 40;

    /// <summary>How paths compare: ignoring case where the usual file systems do (Windows, macOS).</summary>
    public static StringComparison Comparison =>
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    /// <summary>
    /// <paramref name="path"/> made absolute, walking its components from the root: "." is dropped, ".." goes to the
    /// parent of what has been resolved so far (as the kernel does, not textually), and an existing component that is
    /// a symbolic link is replaced by its target, itself resolved the same way. A dangling link resolves to the path it
    /// points to; components that do not exist are kept as given.
    /// </summary>
    /// <exception cref="IOException">
    /// More than 40 links are to be followed (a loop of links, or a chain as long as the kernel refuses); the message
    /// starts with <paramref name="path"/> and names the folder of the path that is the loop, when one is:
    /// "a/g.dot: the folder a is a loop of symbolic links (more than 40 links to follow)."
    /// </exception>
    public static string Of(string path)
    {
        try
        {
            return Resolve(path);
        }
        catch (TooManyLinksException)
        {
            throw new IOException(LoopMessage(path));
        }
    }

    private static string Resolve(string path)
    {
        string absolute = Path.IsPathRooted(path) ? path : Path.Combine(Directory.GetCurrentDirectory(), path);
        int links = 0;
        return Resolve(absolute, ref links);
    }

    /// <summary>
    /// Says where the loop is: in the shortest folder of <paramref name="path"/> (as written) that cannot be resolved on
    /// its own, or, when every folder can, in the last component (or the links of the path taken together).
    /// </summary>
    private static string LoopMessage(string path)
    {
        var folders = new List<string>();
        for (string? folder = Path.GetDirectoryName(path); !string.IsNullOrEmpty(folder); folder = Path.GetDirectoryName(folder))
            folders.Add(folder);
        for (int i = folders.Count - 1; i >= 0; i--)
        {
            try
            {
                Resolve(folders[i]);
            }
            catch (TooManyLinksException)
            {
                return $"{path}: the folder {folders[i]} is a loop of symbolic links (more than {MaxLinks} links to follow).";
            }
        }
        return $"{path}: too many levels of symbolic links to follow (more than {MaxLinks}, as in a loop of links).";
    }

    /// <summary>Thrown inside the resolver when the links run over <see cref="MaxLinks"/>; <see cref="Of"/> turns it into the message.</summary>
    private sealed class TooManyLinksException : Exception;

    /// <summary>Whether the two paths name the same file (existing or to be created) once links are followed.</summary>
    /// <exception cref="IOException">A path holds a loop of links (see <see cref="Of"/>).</exception>
    public static bool Same(string a, string b) => string.Equals(Of(a), Of(b), Comparison);

    private static string Resolve(string absolute, ref int links)
    {
        string root = Path.GetPathRoot(absolute) ?? "";
        string current = root;
        var parts = absolute[root.Length..].Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries);
        for (int i = 0; i < parts.Length; i++)
        {
            string part = parts[i];
            if (part == ".") continue;
            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? current; // the root's parent is the root
                continue;
            }
            string next = Path.Combine(current, part);
            string? target = LinkTarget(next);
            if (target is null)
            {
                current = next;
                continue;
            }
            if (++links > MaxLinks) throw new TooManyLinksException();
            // The target is relative to the folder holding the link; the rest of the path continues from it.
            current = Resolve(Path.IsPathRooted(target) ? target : Path.Combine(current, target), ref links);
        }
        return Path.TrimEndingDirectorySeparator(current.Length == 0 ? root : current);
    }

    /// <summary>Whether <paramref name="path"/> itself is a symbolic link (one that cannot be read counts as none).</summary>
    public static bool IsLink(string path) => LinkTarget(path) is not null;

    /// <summary>The text of the symbolic link at <paramref name="path"/>, or null when it is not one (or cannot be read).</summary>
    private static string? LinkTarget(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
