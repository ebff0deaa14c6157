using SharpGrad.IO;

namespace SharpGrad.Cli;

/// <summary>Reads the files and folders options name, with errors naming the option, the path and what is wrong.</summary>
internal static class InputPaths
{
    /// <summary>
    /// Runs <paramref name="read"/> on the folder <paramref name="path"/>, putting <paramref name="option"/> before a
    /// refusal of the path itself (the library's "is a file, not a folder", whose message starts with the path).
    /// </summary>
    /// <param name="path">The folder, as the user gave it.</param>
    /// <param name="option">The option it comes from, e.g. "--data".</param>
    /// <param name="read">The loader, e.g. <see cref="SharpGrad.Data.Mnist.Load"/>.</param>
    /// <returns>What <paramref name="read"/> returns.</returns>
    /// <exception cref="ArgumentException">The path is empty or a file.</exception>
    public static T ReadFolder<T>(string path, string option, Func<string, T> read)
    {
        if (path.Length == 0) // .NET's own message ("The value cannot be an empty string.") names neither
            throw new ArgumentException($"{option}: the path is empty; give the folder that holds the MNIST files.");
        try
        {
            return read(path);
        }
        catch (DirectoryNotFoundException e) when (e.Message.StartsWith(path + ": ", StringComparison.Ordinal))
        {
            throw new ArgumentException($"{option} {e.Message}", e);
        }
    }

    /// <summary>
    /// Runs <paramref name="read"/> on <paramref name="path"/>, turning .NET's I/O messages ("Could not find file …",
    /// "Access to the path … is denied.") into one that names <paramref name="option"/> and the file. Format errors
    /// (<see cref="SharpGradFormatException"/>) are given the option too.
    /// </summary>
    /// <param name="path">The file, as the user gave it (or a file derived from it).</param>
    /// <param name="option">The option it comes from, e.g. "--resume"; "(its optimizer-state file)" may follow.</param>
    /// <param name="read">The reader.</param>
    /// <returns>What <paramref name="read"/> returns.</returns>
    /// <exception cref="ArgumentException">The path is empty, or the file does not exist, cannot be read, or is malformed.</exception>
    public static T Read<T>(string path, string option, Func<string, T> read)
    {
        if (path.Length == 0) // .NET's own message ("The value cannot be an empty string.") names neither
            throw new ArgumentException($"{option}: the path is empty; give the file's name.");
        try
        {
            return read(path);
        }
        catch (SharpGradFormatException e)
        {
            // The message starts with the file's name: put the option before it instead of naming the file twice.
            string problem = e.Message;
            if (e.FilePath is { } file && problem.StartsWith(file + ": ", StringComparison.Ordinal)) problem = problem[(file.Length + 2)..];
            throw new ArgumentException($"{option} {path}: {problem}", e);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ArgumentException($"{option} {path}: the file does not exist.", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new ArgumentException($"{option} {path}: the file cannot be read (permission denied).", e);
        }
        catch (IOException e)
        {
            throw new ArgumentException($"{option} {path}: the file cannot be read ({e.Message}).", e);
        }
    }

    /// <summary><see cref="Read{T}"/> for a reader that returns nothing.</summary>
    public static void Read(string path, string option, Action<string> read) =>
        Read(path, option, p =>
        {
            read(p);
            return true;
        });
}
