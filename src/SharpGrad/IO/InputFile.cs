namespace SharpGrad.IO;

/// <summary>Opens files for the readers that need a file's length and seek in it (safetensors, NPY, NPZ).</summary>
internal static class InputFile
{
    /// <summary>
    /// Opens <paramref name="path"/> for reading. A pipe or FIFO (<c>--model /dev/stdin</c>, <c>&lt;(zcat m.gz)</c>), which
    /// has no length and cannot seek, is read to its end into memory first, so the readers work on it as on a file.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <returns>A seekable stream positioned at the start.</returns>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static Stream OpenSeekable(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        if (file.CanSeek) return file;
        using (file) return Buffered(file);
    }

    /// <summary>The rest of <paramref name="stream"/> in memory, positioned at its start.</summary>
    public static MemoryStream Buffered(Stream stream)
    {
        var memory = new MemoryStream();
        stream.CopyTo(memory);
        memory.Position = 0;
        return memory;
    }
}
