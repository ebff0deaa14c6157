namespace SharpGrad.IO;

/// <summary>
/// A read-only, forward-only stream that first returns some bytes already consumed from
/// <c>inner</c> (for example to sniff a magic number) and then the rest of <c>inner</c>.
/// It does not own <c>inner</c>.
/// </summary>
internal sealed class PrefixedStream(byte[] prefix, Stream inner) : ReadOnlyForwardStream
{
    private int _prefixPosition;

    public override int Read(Span<byte> buffer)
    {
        if (_prefixPosition < prefix.Length)
        {
            int n = Math.Min(buffer.Length, prefix.Length - _prefixPosition);
            prefix.AsSpan(_prefixPosition, n).CopyTo(buffer);
            _prefixPosition += n;
            return n;
        }

        return inner.Read(buffer);
    }
}
