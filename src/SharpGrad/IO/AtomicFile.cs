namespace SharpGrad.IO;

/// <summary>
/// Writes a file through a temporary sibling that is renamed over the target only when complete, so a crash or a
/// full disk never leaves a half-written file under the real name, and a failure leaves nothing behind.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes the file with <paramref name="write"/>, atomically.</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="write">Writes the contents to the stream it is given.</param>
    /// <exception cref="ArgumentException">The path is empty.</exception>
    /// <exception cref="IOException">The file cannot be written; the message names <paramref name="path"/> (never the temporary file) and the reason.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(write);
        if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException("The output path is empty.");
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full)) throw new IOException($"{path}: cannot write: it is a folder, not a file.");
        string directory = Path.GetDirectoryName(full) ?? ".";
        if (!Directory.Exists(directory)) throw new IOException($"{path}: cannot write: the folder {directory} does not exist.");
        // Same folder as the target, so the rename never crosses a file system.
        string temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            string reason = e is UnauthorizedAccessException ? $"permission denied in {directory}" : e.Message.Replace(temporary, full, StringComparison.Ordinal);
            throw new IOException($"{path}: cannot write ({reason}).", e);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>Writes <paramref name="bytes"/> atomically.</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="bytes">The contents.</param>
    public static void WriteAllBytes(string path, byte[] bytes) => Write(path, stream => stream.Write(bytes));

    /// <summary>Writes <paramref name="text"/> as UTF-8 without a byte-order mark, atomically.</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="text">The contents.</param>
    public static void WriteAllText(string path, string text) => WriteAllBytes(path, new System.Text.UTF8Encoding(false).GetBytes(text));

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
