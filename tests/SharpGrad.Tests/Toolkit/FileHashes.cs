using System.Security.Cryptography;

namespace SharpGrad.Tests.Toolkit;

/// <summary>SHA-256 digests of files, to show that a refused command left them byte for byte as they were.</summary>
internal static class FileHashes
{
    /// <summary>Each file's path with the hex SHA-256 of its bytes, in the order given.</summary>
    public static string[] Of(IEnumerable<string> paths) =>
        [.. paths.Select(p => $"{p}: {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(p)))}")];
}
