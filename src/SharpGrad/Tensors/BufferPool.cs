namespace SharpGrad;

/// <summary>
/// Recycled element storage. Tensors made by operations take their arrays from here; a <see cref="TensorScope"/>
/// gives the arrays of its released tensors back. A training step that asks for the same sizes in the same order
/// as the previous step therefore gets the previous step's arrays again and allocates no new storage.
/// </summary>
/// <remarks>
/// Arrays are kept per element type and exact length, last in first out (the most recently used array is the one
/// most likely still in cache). At most <see cref="MaxRetainedBytes"/> are kept; arrays given back beyond that
/// are left to the garbage collector. Thread-safe.
/// </remarks>
internal static class BufferPool
{
    /// <summary>The most bytes of idle arrays the pool keeps.</summary>
    public const long MaxRetainedBytes = 1L << 30;

    private static readonly Lock Gate = new();
    private static readonly Dictionary<int, Stack<float[]>> Floats = [];
    private static readonly Dictionary<int, Stack<double[]>> Doubles = [];
    private static long _retainedBytes;

    /// <summary>Bytes currently held by idle arrays.</summary>
    public static long RetainedBytes
    {
        get { lock (Gate) return _retainedBytes; }
    }

    /// <summary>
    /// An array of <paramref name="length"/> elements of <paramref name="dtype"/>: a recycled one when available,
    /// else a new one. With <paramref name="clear"/> false the contents are unspecified (the caller overwrites
    /// every element); otherwise they are zero.
    /// </summary>
    public static Array Rent(DType dtype, int length, bool clear)
    {
        Array? array = null;
        if (length > 0)
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
        lock (Gate)
        {
            if (_retainedBytes + bytes > MaxRetainedBytes) return;
            _retainedBytes += bytes;
            if (array is float[] f) Put(Floats, f);
            else Put(Doubles, (double[])array);
        }
    }

    /// <summary>Drops every idle array (for the garbage collector to reclaim).</summary>
    public static void Clear()
    {
        lock (Gate)
        {
            Floats.Clear();
            Doubles.Clear();
            _retainedBytes = 0;
        }
    }

    private static bool Take<T>(Dictionary<int, Stack<T[]>> buckets, int length, out Array? array)
    {
        array = buckets.TryGetValue(length, out var stack) && stack.TryPop(out var found) ? found : null;
        return array is not null;
    }

    private static void Put<T>(Dictionary<int, Stack<T[]>> buckets, T[] array)
    {
        if (!buckets.TryGetValue(array.Length, out var stack)) buckets[array.Length] = stack = new Stack<T[]>();
        stack.Push(array);
    }

    private static long Bytes(Array array) => (long)array.Length * (array is float[] ? sizeof(float) : sizeof(double));
}
