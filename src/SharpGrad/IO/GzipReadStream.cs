using System.Buffers.Binary;
using System.IO.Compression;

namespace SharpGrad.IO;

/// <summary>
/// A read-only, forward-only stream of the decompressed bytes of a gzip stream that can tell, once they have all been
/// read, whether the gzip stream ended in a trailer. zlib checks each member's trailer (CRC-32 and length of its data)
/// when it reaches it, and <see cref="GZipStream"/> reports a mismatch as <see cref="InvalidDataException"/>; but a
/// stream cut off before its trailer just ends early, as if the data were shorter. It does not own <c>compressed</c>.
/// </summary>
internal sealed class GzipReadStream : ReadOnlyForwardStream
{
    // A gzip member is at least a 10-byte header, a 2-byte empty deflate block and the 8-byte trailer.
    private const int SmallestMember = 20;

    private readonly TailStream _compressed;
    private readonly GZipStream _gzip;
    private long _decompressed;

    public GzipReadStream(Stream compressed)
    {
        _compressed = new TailStream(compressed);
        _gzip = new GZipStream(_compressed, CompressionMode.Decompress, leaveOpen: true);
    }

    /// <summary>The number of decompressed bytes read so far.</summary>
    public long DecompressedLength => _decompressed;

    public override int Read(Span<byte> buffer)
    {
        int n = _gzip.Read(buffer);
        _decompressed += n;
        return n;
    }

    /// <summary>
    /// Whether the compressed stream ends in the trailer of all the data read: its last 4 bytes (ISIZE) equal
    /// <see cref="DecompressedLength"/> modulo 2^32. Call only after <see cref="Read(Span{byte})"/> has returned 0.
    /// False for a truncated stream (save for a 1 in 2^32 chance), and also for several concatenated gzip members
    /// (whose last trailer counts only the last member), so use it to explain an error, not to refuse a file.
    /// </summary>
    /// <returns>True if the trailer accounts for every decompressed byte.</returns>
    public bool EndsInTrailer()
    {
        Span<byte> scratch = stackalloc byte[4096];
        while (_compressed.Read(scratch) > 0)
        {
        }

        return _compressed.Count >= SmallestMember && BinaryPrimitives.ReadUInt32LittleEndian(_compressed.Tail) == unchecked((uint)_decompressed);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _gzip.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>Passes reads through, counting them and keeping the last 4 bytes (once at the end, the gzip ISIZE field).</summary>
    private sealed class TailStream(Stream inner) : ReadOnlyForwardStream
    {
        private readonly byte[] _tail = new byte[4];

        public long Count { get; private set; }

        /// <summary>The last 4 bytes read, oldest first (meaningful once <see cref="Count"/> ≥ 4).</summary>
        public ReadOnlySpan<byte> Tail => _tail;

        public override int Read(Span<byte> buffer)
        {
            int n = inner.Read(buffer);
            if (n >= _tail.Length)
            {
                buffer.Slice(n - _tail.Length, _tail.Length).CopyTo(_tail);
            }
            else if (n > 0)
            {
                _tail.AsSpan(n).CopyTo(_tail);
                buffer[..n].CopyTo(_tail.AsSpan(_tail.Length - n));
            }

            Count += n;
            return n;
        }
    }
}
