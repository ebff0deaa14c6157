namespace SharpGrad;

/// <summary>
/// Recycled element storage. Tensors made by operations take their arrays from here; a <see cref="TensorScope"/>
/// gives the arrays of its released tensors back. A training step that asks for the same sizes in the same order
/// as the previous step therefore gets the previous step's arrays again and allocates no new storage.
/// </summary>
/// <remarks>
/// Arrays are kept per element type and exact length, last in first out (the most recently used array is the one
/// most likely still in cache). Each thread first keeps what it gives back for itself (up to
/// <see cref="MaxRetainedBytesPerThread"/>, no lock), so a training loop gets its own arrays back even while other
/// threads use the pool for the same sizes (before, a test running beside the zero-allocation tests could take them,
/// and the step allocated); beyond that, arrays go to a shared pool of at most <see cref="MaxRetainedBytes"/>, and
/// past that to the garbage collector. Thread-safe.
/// </remarks>
internal static class BufferPool
{
    /// <summary>The most bytes of idle arrays the pool keeps.</summary>
    public const long MaxRetainedBytes = 1L << 30;

    /// <summary>The most bytes of idle arrays one thread keeps for itself before giving them to the shared pool.</summary>
    public const long MaxRetainedBytesPerThread = 1L << 28;

    [ThreadStatic] private static Dictionary<int, Stack<float[]>>? t_floats;
    [ThreadStatic] private static Dictionary<int, Stack<double[]>>? t_doubles;
    [ThreadStatic] private static long t_retainedBytes;

    private static readonly Lock Gate = new();
    private static readonly Dictionary<int, Stack<float[]>> Floats = [];
    private static readonly Dictionary<int, Stack<double[]>> Doubles = [];
    private static long _retainedBytes;

    /// <summary>Bytes currently held by idle arrays in the shared pool and by this thread.</summary>
    public static long RetainedBytes
    {
        get { lock (Gate) return _retainedBytes + t_retainedBytes; }
    }

    /// <summary>
    /// An array of <paramref name="length"/> elements of <paramref name="dtype"/>: a recycled one when available,
    /// else a new one. With <paramref name="clear"/> false the contents are unspecified (the caller overwrites
    /// every element); otherwise they are zero.
    /// </summary>
    public static Array Rent(DType dtype, int length, bool clear)
    {
        Array? array = null;
        if (length > 0 && (dtype == DType.Float32 ? Take(t_floats, length, out array) : Take(t_doubles, length, out array)))
            t_retainedBytes -= Bytes(array!);
        else if (length > 0)
        {
            lock (Gate)
            {
                if (dtype == DType.Float32 ? Take(Floats, length, out array) : Take(Doubles, length, out array))
                    _retainedBytes -= Bytes(array!);
            }
        }
        if (array is null)
            return dtype == DType.Float32
                ? clear ? new float[length] : GC.AllocateUninitializedArray<float>(length)
                : clear ? new double[length] : GC.AllocateUninitializedArray<double>(length);
        if (clear) Array.Clear(array);
        return array;
    }

    /// <summary>Gives an array back for reuse. The caller must hold the only reference that will be used again.</summary>
    public static void Return(Array array)
    {
        if (array.Length == 0) return;
        long bytes = Bytes(array);
        if (t_retainedBytes + bytes <= MaxRetainedBytesPerThread)
        {
            t_retainedBytes += bytes;
            if (array is float[] f) Put(t_floats ??= [], f);
            else Put(t_doubles ??= [], (double[])array);
            return;
        }
        lock (Gate)
        {
            if (_retainedBytes + bytes > MaxRetainedBytes) return;
            _retainedBytes += bytes;
            if (array is float[] f) Put(Floats, f);
            else Put(Doubles, (double[])array);
        }
    }

    /// <summary>Drops every idle array of the shared pool and of this thread (for the garbage collector to reclaim).</summary>
    public static void Clear()
    {
        t_floats?.Clear();
        t_doubles?.Clear();
        t_retainedBytes = 0;
        lock (Gate)
        {
            Floats.Clear();
            Doubles.Clear();
            _retainedBytes = 0;
        }
    }

    /// <summary>Pops an array of <paramref name="length"/> from <paramref name="buckets"/> (null: a thread's pool not yet made).</summary>
    private static bool Take<T>(Dictionary<int, Stack<T[]>>? buckets, int length, out Array? array)
    {
        array = buckets is not null && buckets.TryGetValue(length, out var stack) && stack.TryPop(out var found) ? found : null;
        return array is not null;
    }

    private static void Put<T>(Dictionary<int, Stack<T[]>> buckets, T[] array)
    {
        if (!buckets.TryGetValue(array.Length, out var stack)) buckets[array.Length] = stack = new Stack<T[]>();
        stack.Push(array);
    }

    private static long Bytes(Array array) => (long)array.Length * (array is float[] ? sizeof(float) : sizeof(double));
}
