namespace SharpGrad.Tests.Toolkit;

/// <summary>A fresh folder under the system temp directory, named <c>prefix</c> and a random suffix, deleted with everything in it on dispose.</summary>
/// <param name="prefix">The start of the folder's name, saying which tests made it.</param>
internal sealed class TempDirectory(string prefix = "sharpgrad-") : IDisposable
{
    /// <summary>The folder's full path.</summary>
    public string Path { get; } = Directory.CreateTempSubdirectory(prefix).FullName;

    /// <summary>The path of <paramref name="name"/> inside the folder (nothing is created).</summary>
    public string PathOf(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Writes <paramref name="contents"/> to <paramref name="name"/> inside the folder and returns its path.</summary>
    public string Write(string name, byte[] contents)
    {
        string path = PathOf(name);
        File.WriteAllBytes(path, contents);
        return path;
    }

    /// <summary>The names of what is in the folder, in order.</summary>
    public string[] Entries() => EntriesOf(Path);

    /// <summary>The names of what is in <paramref name="folder"/>, in order.</summary>
    public static string[] EntriesOf(string folder) => [.. Directory.GetFileSystemEntries(folder).Select(System.IO.Path.GetFileName).Order()!];

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
