namespace SharpGrad.IO;

/// <summary>
/// Tells whether an output path is this process's own standard output or standard error: <c>/dev/stdout</c>,
/// <c>/dev/fd/2</c>, <c>/proc/self/fd/1</c>, a link to one of them, or the very file, pipe or terminal a shell
/// redirected the stream to. Such a path is written through the stream (<see cref="Write"/>), never replaced by a
/// rename: over a redirected file a rename would throw away what the shell had already written to it, and leave the
/// process writing the rest into a deleted file.
/// </summary>
internal static class StandardStreams
{
    /// <summary>
    /// 1 for standard output, 2 for standard error, null for anything else (or a path that does not exist). On Linux
    /// the file the path finally reaches is compared (device and inode, links followed) with the file behind each
    /// descriptor; elsewhere only the usual names are recognised.
    /// </summary>
    /// <param name="path">The output path, as given.</param>
    public static int? Of(string path)
    {
        if (string.IsNullOrEmpty(path)) return null;
        if (OperatingSystem.IsLinux())
        {
            if (UnixStatus.Identity(path) is not { } identity) return null;
            bool output = UnixStatus.Identity("/proc/self/fd/1") == identity, error = UnixStatus.Identity("/proc/self/fd/2") == identity;
            if (output && error) return NamesError(Path.GetFullPath(path)) ? 2 : 1; // both streams go to one place (2>&1)
            return output ? 1 : error ? 2 : null;
        }
        if (OperatingSystem.IsWindows()) return null;
        string full = Path.GetFullPath(path);
        return full is "/dev/stdout" or "/dev/fd/1" ? 1 : NamesError(full) ? 2 : null;
    }

    /// <summary>Whether a full path is one of the usual names of descriptor 2.</summary>
    private static bool NamesError(string full) => full is "/dev/stderr" or "/dev/fd/2" or "/proc/self/fd/2" or "/proc/thread-self/fd/2";

    /// <summary>The name of a stream <see cref="Of"/> returned: "standard output" or "standard error".</summary>
    public static string Name(int stream) => stream == 1 ? "standard output" : "standard error";

    /// <summary>
    /// Writes to standard output (1) or standard error (2) as the shell set it up: at the stream's current offset,
    /// so a file opened with <c>&gt;&gt;</c> is appended to.
    /// </summary>
    /// <param name="path">The path as given, for the error message.</param>
    /// <param name="stream">1 or 2.</param>
    /// <param name="write">Writes the contents.</param>
    /// <exception cref="IOException">The write failed; the message names <paramref name="path"/> and the reason.</exception>
    public static void Write(string path, int stream, Action<Stream> write)
    {
        try
        {
            using var output = new BufferedStream(stream == 1 ? Console.OpenStandardOutput() : Console.OpenStandardError(), 1 << 16);
            write(output);
            output.Flush();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            string reason = e is UnauthorizedAccessException ? "permission denied" : e.Message;
            throw new IOException($"{path}: cannot write ({reason}).", e);
        }
    }
}
