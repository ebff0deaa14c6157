namespace SharpGrad.IO;

/// <summary>
/// NumPy's <c>.npy</c> files: one float32 or float64 array per file.
/// </summary>
/// <remarks>
/// The layout (NumPy's "NPY format" description): the magic string <c>\x93NUMPY</c>; one byte major and one byte
/// minor version; the header length as a little-endian uint16 (version 1.0) or uint32 (2.0, 3.0); the header, a
/// Python dict literal such as <c>{'descr': '&lt;f4', 'fortran_order': False, 'shape': (2, 3), }</c> padded with
/// spaces and ended by a newline (Latin-1, or UTF-8 in 3.0); then the elements. Reading accepts all three versions,
/// little- and big-endian <c>f4</c>/<c>f8</c> and Fortran (column-major) order, which is transposed into SharpGrad's
/// row-major layout. Writing produces version 1.0 (2.0 if the header is too long), little-endian, C order.
/// </remarks>
public static class Npy
{
    /// <summary>Reads an <c>.npy</c> file into a row-major tensor of the file's element type.</summary>
    /// <param name="path">The file.</param>
    /// <returns>A float32 (<c>f4</c>) or float64 (<c>f8</c>) tensor of the file's shape (rank 0 for a scalar).</returns>
    /// <exception cref="SharpGradFormatException">
    /// The path is a folder; bad magic string, unsupported version, header length beyond the file, unparsable header dictionary,
    /// unsupported dtype, a shape too big for a tensor, or data shorter or longer than the shape needs.
    /// </exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static Tensor Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path)) throw new SharpGradFormatException(path, "this is a folder, not an NPY file"); // .NET says "Access … is denied"
        using var stream = InputFile.OpenSeekable(path); // a pipe or FIFO has no length until read into memory
        return NpyFormat.Read(stream, stream.Length, path);
    }

    /// <summary>Reads an <c>.npy</c> array from a stream holding exactly <paramref name="length"/> bytes of it.</summary>
    /// <param name="stream">The stream, positioned at the magic string.</param>
    /// <param name="length">The array's size in bytes (header and data).</param>
    /// <param name="name">The name used in error messages.</param>
    /// <returns>The tensor.</returns>
    /// <exception cref="SharpGradFormatException">As for <see cref="Read(string)"/>.</exception>
    public static Tensor Read(Stream stream, long length, string name)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return NpyFormat.Read(stream, length, name);
    }

    /// <summary>
    /// Writes <paramref name="tensor"/> as an <c>.npy</c> file (version 1.0, little-endian <c>'&lt;f4'</c> or
    /// <c>'&lt;f8'</c>, C order). The file is written under a temporary name and renamed when complete.
    /// </summary>
    /// <param name="path">The destination; an existing file is replaced.</param>
    /// <param name="tensor">The array.</param>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Write(string path, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(tensor);
        AtomicFile.Write(path, stream => NpyFormat.Write(stream, tensor));
    }

    /// <summary>Writes <paramref name="tensor"/> in <c>.npy</c> layout to a stream.</summary>
    /// <param name="stream">The destination.</param>
    /// <param name="tensor">The array.</param>
    public static void Write(Stream stream, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(tensor);
        NpyFormat.Write(stream, tensor);
    }
}
