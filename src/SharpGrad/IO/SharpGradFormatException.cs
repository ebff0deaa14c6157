namespace SharpGrad.IO;

/// <summary>
/// Thrown when a file read by SharpGrad (an IDX data file, a saved model) is malformed:
/// wrong magic number, impossible header, truncated or corrupt contents.
/// </summary>
/// <remarks>
/// The message always starts with the file's name when it is known and then says what is wrong,
/// for example <c>"train-images-idx3-ubyte.gz: declared 60000×28×28 unsigned bytes need 47040000
/// bytes of data but the file holds 1000"</c>. Plain I/O failures (a missing file, a disk error)
/// are not wrapped: they keep their own exception types.
/// </remarks>
public sealed class SharpGradFormatException : Exception
{
    /// <summary>Creates an exception with a complete message and no file.</summary>
    public SharpGradFormatException()
        : base("The file is not in the expected format.")
    {
    }

    /// <summary>Creates an exception with a complete message and no file.</summary>
    /// <param name="message">What is wrong.</param>
    public SharpGradFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a complete message, no file, and the underlying cause.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The error that revealed the problem, for example a gzip decoding error.</param>
    public SharpGradFormatException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception whose message is <c>"{filePath}: {problem}"</c>.</summary>
    /// <param name="filePath">The path or name of the offending file, or <see langword="null"/> when unknown.</param>
    /// <param name="problem">What is wrong, phrased to follow the file name.</param>
    /// <param name="innerException">The error that revealed the problem, if any.</param>
    public SharpGradFormatException(string? filePath, string problem, Exception? innerException = null)
        : base(Compose(filePath, problem), innerException)
    {
        FilePath = filePath;
    }

    /// <summary>The path or name of the offending file, or <see langword="null"/> when unknown.</summary>
    public string? FilePath { get; }

    private static string Compose(string? filePath, string problem) =>
        string.IsNullOrEmpty(filePath) ? problem : $"{filePath}: {problem}";
}
