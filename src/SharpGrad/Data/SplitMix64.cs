namespace SharpGrad.Data;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood, 2014): a tiny 64-bit generator whose output is fixed by
/// its published algorithm, so seeded shuffles are identical on every runtime and platform
/// (unlike <see cref="Random"/>, whose algorithm may change).
/// </summary>
internal struct SplitMix64(ulong state)
{
    private ulong _state = state;

    /// <summary>state += 0x9E3779B97F4A7C15; z = state; two xor-shift-multiply rounds; z ^ (z >> 31).</summary>
    public ulong Next()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A uniform integer in [0, bound), unbiased (Lemire's multiply-and-reject method).</summary>
    public ulong NextBelow(ulong bound)
    {
        UInt128 m = (UInt128)Next() * bound;
        ulong low = (ulong)m;
        if (low < bound)
        {
            ulong threshold = (0UL - bound) % bound;
            while (low < threshold)
            {
                m = (UInt128)Next() * bound;
                low = (ulong)m;
            }
        }

        return (ulong)(m >> 64);
    }
}
