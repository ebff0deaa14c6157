namespace SharpGrad.Cli;

/// <summary>
/// The folders a command created for its outputs (a folder and its missing parents, as <c>mkdir -p</c>), so that a
/// write that then fails can take them away again instead of leaving empty folders behind.
/// </summary>
internal sealed class CreatedFolders
{
    /// <summary>The folders created, outermost first.</summary>
    private readonly List<string> _folders;

    private CreatedFolders(List<string> folders) => _folders = folders;

    /// <summary>The folders created, outermost first (empty when the folder already existed).</summary>
    public IReadOnlyList<string> Folders => _folders;

    /// <summary>Creates <paramref name="folder"/> and its missing parents, remembering which were missing.</summary>
    /// <exception cref="IOException">A folder cannot be created.</exception>
    /// <exception cref="UnauthorizedAccessException">Permission is denied.</exception>
    public static CreatedFolders Create(string folder)
    {
        var missing = new List<string>();
        for (string? part = Path.GetFullPath(folder); !string.IsNullOrEmpty(part) && !Directory.Exists(part); part = Path.GetDirectoryName(part))
            missing.Add(part);
        missing.Reverse();
        var created = new CreatedFolders([]);
        try
        {
            foreach (string part in missing)
            {
                Directory.CreateDirectory(part);
                created._folders.Add(part);
            }
        }
        catch
        {
            created.RemoveIfEmpty();
            throw;
        }
        return created;
    }

    /// <summary>Removes the folders created, innermost first, as long as each is empty (a file written there stays).</summary>
    public void RemoveIfEmpty()
    {
        for (int i = _folders.Count - 1; i >= 0; i--)
        {
            try
            {
                Directory.Delete(_folders[i], recursive: false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return; // not empty (or not ours to remove): neither are its parents
            }
        }
        _folders.Clear();
    }
}
