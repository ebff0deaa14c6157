using System.IO.Compression;
using SharpGrad.Data;
using SharpGrad.IO;

namespace SharpGrad.Tests.Hardening;

/// <summary>
/// Mutation fuzzing of the IDX reader: every mutated file either loads (with data consistent with its header) or
/// throws <see cref="SharpGradFormatException"/> naming the file — never another exception, a huge allocation or a hang.
/// </summary>
public class IdxFuzzTests
{
    private static byte[] ValidFile()
    {
        // A 3×4×5 unsigned-byte IDX file, like a tiny MNIST image file.
        var bytes = new List<byte> { 0, 0, 0x08, 3 };
        foreach (int d in new[] { 3, 4, 5 }) bytes.AddRange(BitConverter.GetBytes(d).Reverse());
        for (int i = 0; i < 60; i++) bytes.Add((byte)(i * 7));
        return [.. bytes];
    }

    private static byte[] Gzip(byte[] raw)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(raw);
        return ms.ToArray();
    }

    private static byte[] Mutate(byte[] source, Generator g)
    {
        var bytes = source.ToList();
        int edits = 1 + g.NextInt(4);
        for (int e = 0; e < edits; e++)
        {
            switch (g.NextInt(6))
            {
                case 0 when bytes.Count > 0: bytes[g.NextInt(bytes.Count)] ^= (byte)(1 << g.NextInt(8)); break; // flip a bit
                case 1 when bytes.Count > 0: bytes[g.NextInt(bytes.Count)] = (byte)g.NextInt(256); break;      // random byte
                case 2: bytes = bytes.Take(g.NextInt(bytes.Count + 1)).ToList(); break; // truncate
                case 3: bytes.Insert(g.NextInt(bytes.Count + 1), (byte)g.NextInt(256)); break;                // insert
                case 4 when bytes.Count >= 8: // a huge or negative declared dimension
                    int at = 4 + 4 * g.NextInt(3);
                    if (at + 4 <= bytes.Count) { bytes[at] = (byte)(g.NextInt(2) == 0 ? 0x7F : 0xFF); bytes[at + 1] = 0xFF; }
                    break;
                default: if (bytes.Count > 3) bytes[3] = (byte)g.NextInt(256); break; // dimension count
            }
        }
        return [.. bytes];
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TenThousandMutatedFiles_LoadOrThrowFormatException(bool gzip)
    {
        var valid = ValidFile();
        var g = new Generator(gzip ? 2UL : 1UL);
        int loaded = 0, rejected = 0;
        for (int i = 0; i < 10_000; i++)
        {
            var raw = Mutate(valid, g);
            var bytes = gzip ? (g.NextInt(4) == 0 ? Mutate(Gzip(raw), g) : Gzip(raw)) : raw; // sometimes damage the gzip stream itself
            try
            {
                var array = IdxReader.Read(new MemoryStream(bytes), "fuzz.idx");
                long expected = 1;
                foreach (int d in array.Dimensions) expected *= d;
                Assert.Equal(expected, array.Length);
                loaded++;
            }
            catch (SharpGradFormatException e)
            {
                Assert.Contains("fuzz.idx", e.Message);
                rejected++;
            }
        }
        Assert.True(loaded > 0 && rejected > 0, $"loaded {loaded}, rejected {rejected}");
    }
}
