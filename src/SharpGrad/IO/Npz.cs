using System.IO.Compression;

namespace SharpGrad.IO;

/// <summary>
/// NumPy's <c>.npz</c> archives (<c>numpy.savez</c>, <c>numpy.savez_compressed</c>): a zip file whose entries
/// <c>NAME.npy</c> each hold one array in <see cref="Npy"/> layout, stored or deflated.
/// </summary>
public static class Npz
{
    /// <summary>Reads every <c>.npy</c> entry of an archive.</summary>
    /// <param name="path">The <c>.npz</c> file.</param>
    /// <returns>
    /// The arrays by name (the entry name without <c>.npy</c>), in archive order; empty when the archive has no
    /// <c>.npy</c> entry (as <c>numpy.load</c> gives), which callers that need arrays must refuse themselves.
    /// </returns>
    /// <exception cref="SharpGradFormatException">
    /// The path is a folder or not a zip archive, an entry is not a valid <c>.npy</c> array (see <see cref="Npy.Read(string)"/>),
    /// or two entries have the same name. The message names the archive and the entry.
    /// </exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static IReadOnlyDictionary<string, Tensor> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path)) throw new SharpGradFormatException(path, "this is a folder, not an NPZ archive"); // .NET says "Access … is denied"
        using var file = InputFile.OpenSeekable(path);
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(file, ZipArchiveMode.Read);
        }
        catch (InvalidDataException e)
        {
            throw new SharpGradFormatException(path, $"not a zip archive ({e.Message})", e);
        }
        using (zip)
        {
            var arrays = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            foreach (var entry in zip.Entries)
            {
                if (!entry.FullName.EndsWith(".npy", StringComparison.Ordinal)) continue;
                var name = entry.FullName[..^4];
                var label = $"{path}/{entry.FullName}";
                Tensor tensor;
                try
                {
                    using var stream = entry.Open();
                    tensor = NpyFormat.Read(stream, entry.Length, label);
                }
                catch (InvalidDataException e)
                {
                    throw new SharpGradFormatException(label, $"the entry cannot be decompressed ({e.Message})", e);
                }
                if (!arrays.TryAdd(name, tensor)) throw new SharpGradFormatException(path, $"the entry '{entry.FullName}' appears twice");
            }
            return arrays;
        }
    }

    /// <summary>
    /// Writes arrays as an <c>.npz</c> archive with one entry <c>NAME.npy</c> per array, like <c>numpy.savez</c>
    /// (stored) or <c>numpy.savez_compressed</c> (deflated). The file is written under a temporary name and
    /// renamed when complete.
    /// </summary>
    /// <param name="path">The destination; an existing file is replaced.</param>
    /// <param name="arrays">The names and arrays, written in this order.</param>
    /// <param name="compress">True to deflate the entries, false to store them.</param>
    /// <exception cref="ArgumentException">A name is empty or repeated.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Write(string path, IEnumerable<(string Name, Tensor Tensor)> arrays, bool compress = false)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(arrays);
        var list = arrays.ToList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < list.Count; i++)
        {
            var (name, tensor) = list[i];
            // Named here: .NET's own checks said only "The value cannot be an empty string. (Parameter 'arrays')".
            if (string.IsNullOrEmpty(name))
                throw new ArgumentException($"Array {i} has {(name is null ? "no" : "an empty")} name; each becomes the archive entry NAME.npy, so it needs one.", nameof(arrays));
            if (tensor is null) throw new ArgumentNullException(nameof(arrays), $"The array named '{name}' is null.");
            if (!seen.Add(name)) throw new ArgumentException($"The name '{name}' is given twice.", nameof(arrays));
        }
        AtomicFile.Write(path, stream =>
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
            foreach (var (name, tensor) in list)
            {
                var entry = zip.CreateEntry(name + ".npy", compress ? CompressionLevel.Optimal : CompressionLevel.NoCompression);
                using var entryStream = entry.Open();
                NpyFormat.Write(entryStream, tensor);
            }
        });
    }
}
