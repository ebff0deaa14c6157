namespace SharpGrad;

/// <summary>
/// A seeded pseudo-random generator (xoshiro256** seeded through SplitMix64). Its sequence is fixed by this
/// code alone, so the same seed gives the same numbers on every platform and .NET version.
/// </summary>
public sealed class Generator
{
    private ulong _s0, _s1, _s2, _s3;
    private double? _spareNormal;

    /// <summary>Creates a generator from a seed.</summary>
    /// <param name="seed">Any 64-bit value.</param>
    public Generator(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The next 64 random bits.</summary>
    /// <returns>A uniformly distributed 64-bit value.</returns>
    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    /// <returns>The value.</returns>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform integer in [0, <paramref name="maxExclusive"/>), without modulo bias.</summary>
    /// <param name="maxExclusive">The exclusive upper bound; must be positive.</param>
    /// <returns>The value.</returns>
    public int NextInt(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        ulong bound = (ulong)maxExclusive;
        ulong threshold = (0UL - bound) % bound;
        while (true)
        {
            ulong r = NextUInt64();
            if (r >= threshold) return (int)(r % bound);
        }
    }

    /// <summary>A standard normal sample (mean 0, standard deviation 1) by the Box–Muller transform.</summary>
    /// <returns>The value.</returns>
    public double NextNormal()
    {
        if (_spareNormal is double spare)
        {
            _spareNormal = null;
            return spare;
        }
        double u1 = 1.0 - NextDouble(); // in (0, 1], so the logarithm is finite
        double u2 = NextDouble();
        double radius = Math.Sqrt(-2.0 * Math.Log(u1));
        _spareNormal = radius * Math.Sin(2 * Math.PI * u2);
        return radius * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>The generator's complete state (PyTorch's <c>get_state</c>): restoring it with <see cref="SetState"/> replays the same numbers.</summary>
    /// <returns>41 bytes: the four 64-bit words of the state, a flag and the cached second normal sample.</returns>
    public byte[] GetState()
    {
        var state = new byte[StateLength];
        var span = state.AsSpan();
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(span, _s0);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(span[8..], _s1);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(span[16..], _s2);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(span[24..], _s3);
        state[32] = _spareNormal is null ? (byte)0 : (byte)1;
        System.Buffers.Binary.BinaryPrimitives.WriteDoubleLittleEndian(span[33..], _spareNormal ?? 0);
        return state;
    }

    /// <summary>Restores a state returned by <see cref="GetState"/>.</summary>
    /// <param name="state">The 41 bytes.</param>
    /// <exception cref="ArgumentException">The length is wrong, the flag is not 0 or 1, or the four words are all zero (not a reachable state).</exception>
    public void SetState(ReadOnlySpan<byte> state)
    {
        if (state.Length != StateLength)
            throw new ArgumentException($"A generator state is {StateLength} bytes, not {state.Length}.", nameof(state));
        if (state[32] > 1)
            throw new ArgumentException($"Byte 32 of a generator state is a flag (0 or 1), not {state[32]}.", nameof(state));
        ulong s0 = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(state);
        ulong s1 = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(state[8..]);
        ulong s2 = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(state[16..]);
        ulong s3 = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(state[24..]);
        if ((s0 | s1 | s2 | s3) == 0)
            throw new ArgumentException("A generator state of all zeros is not reachable (xoshiro256 would return zeros forever).", nameof(state));
        (_s0, _s1, _s2, _s3) = (s0, s1, s2, s3);
        _spareNormal = state[32] == 1 ? System.Buffers.Binary.BinaryPrimitives.ReadDoubleLittleEndian(state[33..]) : null;
    }

    private const int StateLength = 41;
}
