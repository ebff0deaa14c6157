using System.Text;

namespace SharpGrad.Tests.Interop;

/// <summary>Hand-built NPY bytes, from NumPy's published format description.</summary>
internal static class NpyTestFiles
{
    /// <summary>
    /// An NPY file: "\x93NUMPY", version bytes, header length (uint16 LE for 1.x, uint32 LE otherwise), the header
    /// text padded with spaces and a final '\n' to a multiple of 64 bytes in all, then <paramref name="data"/>.
    /// </summary>
    public static byte[] Bytes(byte major, byte minor, string dict, byte[] data)
    {
        int preamble = major == 1 ? 10 : 12;
        int total = preamble + dict.Length + 1;
        var header = dict + new string(' ', (64 - total % 64) % 64) + "\n";
        var bytes = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', major, minor };
        int n = header.Length;
        bytes.AddRange(major == 1 ? [(byte)n, (byte)(n >> 8)] : [(byte)n, (byte)(n >> 8), (byte)(n >> 16), (byte)(n >> 24)]);
        bytes.AddRange(major == 3 ? Encoding.UTF8.GetBytes(header) : Encoding.Latin1.GetBytes(header));
        bytes.AddRange(data);
        return [.. bytes];
    }

    /// <summary>The header dict NumPy writes for a (2, 3) little-endian float32 C-order array.</summary>
    public const string F4Dict23 = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";

    /// <summary>1, 2, 3, 4, 5, 6 as little-endian IEEE-754 single precision, written out by hand.</summary>
    public static readonly byte[] F4OneToSix =
    [
        0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0x40, 0x00, 0x00, 0x40, 0x40,
        0x00, 0x00, 0x80, 0x40, 0x00, 0x00, 0xA0, 0x40, 0x00, 0x00, 0xC0, 0x40,
    ];
}
