using SharpGrad.IO;
using SharpGrad.Tests.Toolkit;

namespace SharpGrad.Tests.Hardening;

/// <summary>
/// Mutation fuzzing of the safetensors reader: flipped bytes, truncation, lying header lengths, negative, overlapping
/// or out-of-range offsets, invalid UTF-8 and invalid JSON. Each case loads consistently or throws
/// <see cref="SharpGradFormatException"/> naming the file.
/// </summary>
public class SafeTensorsFuzzTests
{
    private static byte[] ValidFile()
    {
        using var temp = new TempDirectory("sharpgrad-fuzz-");
        string path = temp.PathOf("valid.safetensors");
        SafeTensors.Write(path, [("w", Tensor.FromArray(new float[] { 1, 2, 3, 4, 5, 6 }, 2, 3)), ("b", Tensor.FromArray(new double[] { -1, 0.5 }))],
            new Dictionary<string, string> { ["note"] = "fuzz" });
        return File.ReadAllBytes(path);
    }

    private static readonly string[] HeaderEdits =
    [
        "\"data_offsets\":[0,24]", "\"data_offsets\":[-8,16]", "\"data_offsets\":[0,99999999999]", "\"data_offsets\":[8,32]",
        "\"shape\":[2,3]", "\"shape\":[4611686018427387904,2]", "\"shape\":[-2,3]", "\"dtype\":\"F16\"", "\"dtype\":\"Q9\"", "{", "}", "\"",
    ];

    private static byte[] Mutate(byte[] source, Generator g)
    {
        var bytes = source.ToList();
        int headerEnd = 8 + (int)BitConverter.ToUInt64(source, 0);
        switch (g.NextInt(7))
        {
            case 0: bytes[g.NextInt(bytes.Count)] ^= (byte)(1 << g.NextInt(8)); break;
            case 1: bytes = bytes.Take(g.NextInt(bytes.Count)).ToList(); break;
            case 2: // a lying header length
                var length = BitConverter.GetBytes(g.NextInt(2) == 0 ? (ulong)g.NextInt(headerEnd + 64) : ulong.MaxValue - (ulong)g.NextInt(1000));
                for (int i = 0; i < 8; i++) bytes[i] = length[i];
                break;
            case 3: bytes[8 + g.NextInt(headerEnd - 8)] = (byte)(0x80 + g.NextInt(0x40)); break; // invalid UTF-8 in the header
            case 4: // replace a header fragment with a hostile one of the same length where possible
                string header = System.Text.Encoding.UTF8.GetString(source, 8, headerEnd - 8);
                string from = HeaderEdits[g.NextInt(4)], to = HeaderEdits[g.NextInt(HeaderEdits.Length)];
                int at = header.IndexOf("\"data_offsets\":[", StringComparison.Ordinal);
                if (at >= 0)
                {
                    int close = header.IndexOf(']', at);
                    header = header[..at] + to + header[(close + 1)..];
                }
                else header = header.Replace(from, to);
                var headerBytes = System.Text.Encoding.UTF8.GetBytes(header);
                var rebuilt = new List<byte>(BitConverter.GetBytes((ulong)headerBytes.Length));
                rebuilt.AddRange(headerBytes);
                rebuilt.AddRange(source.Skip(headerEnd));
                bytes = rebuilt;
                break;
            case 5: bytes.Insert(8 + g.NextInt(bytes.Count - 8), (byte)g.NextInt(256)); break;
            default: for (int i = 0; i < 3; i++) bytes[g.NextInt(bytes.Count)] = (byte)g.NextInt(256); break;
        }
        return [.. bytes];
    }

    [Fact]
    public void TenThousandMutatedFiles_LoadOrThrowFormatException()
    {
        var valid = ValidFile();
        var g = new Generator(77);
        int loaded = 0, rejected = 0;
        for (int i = 0; i < 10_000; i++)
        {
            var bytes = Mutate(valid, g);
            try
            {
                var file = SafeTensors.Read(new MemoryStream(bytes), "fuzz.safetensors");
                foreach (var (_, t) in file.Tensors) Assert.Equal(Shapes.Size(t.Shape), t.Length);
                loaded++;
            }
            catch (SharpGradFormatException e)
            {
                Assert.Contains("fuzz.safetensors", e.Message);
                rejected++;
            }
        }
        Assert.True(loaded > 0 && rejected > 1000, $"loaded {loaded}, rejected {rejected}");
    }
}
