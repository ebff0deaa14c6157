namespace SharpGrad.Cli;

/// <summary>Checks, before any long work, that an output path can be written, with errors naming the user's path.</summary>
internal static class OutputPaths
{
    /// <summary>The file's folder must exist and be writable, and the path must not be a folder.</summary>
    public static void CheckFile(string path, string option)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException($"{option} needs a file name.");
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full)) throw new ArgumentException($"{option} {path}: is a folder, not a file.");
        string folder = Path.GetDirectoryName(full) ?? ".";
        if (!Directory.Exists(folder)) throw new ArgumentException($"{option} {path}: the folder {folder} does not exist.");
        Probe(folder, path, option);
    }

    /// <summary>
    /// The folder must exist or be creatable, and be writable, and the path must not be a file. Nothing is created
    /// here (the report creates its folder when it is written), so a run that fails or is interrupted leaves no empty folder.
    /// </summary>
    public static void CheckDirectory(string path, string option)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException($"{option} needs a folder name.");
        string full = Path.GetFullPath(path);
        if (File.Exists(full)) throw new ArgumentException($"{option} {path}: is a file, not a folder.");
        // The nearest part of the path that exists must be a folder we can write in.
        string existing = full;
        while (!Directory.Exists(existing))
        {
            if (File.Exists(existing))
                throw new ArgumentException($"{option} {path}: the folder cannot be created ({existing} is a file).");
            existing = Path.GetDirectoryName(existing) ?? throw new ArgumentException($"{option} {path}: the folder cannot be created (no part of the path exists).");
        }
        Probe(existing, path, option);
    }

    private static void Probe(string folder, string path, string option)
    {
        string probe = Path.Combine(folder, $".sharpgrad-write-check-{Environment.ProcessId}.tmp");
        try
        {
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            string reason = e is UnauthorizedAccessException ? $"permission denied in {folder}" : e.Message.Replace(probe, folder, StringComparison.Ordinal);
            throw new ArgumentException($"{option} {path}: cannot write there ({reason}).", e);
        }
    }
}
