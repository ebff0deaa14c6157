namespace SharpGrad.Kernels;

/// <summary>
/// Element-wise work split over the kernel worker threads: [0, length) is cut into
/// <see cref="KernelSettings.Threads"/> contiguous pieces and each piece runs on its own thread. Every element is
/// computed by exactly the same operations whatever the split, so results are identical on 1 and 2 threads.
/// </summary>
internal static unsafe class ParallelRanges
{
    /// <summary>Below this many elements one thread does all the work (the handoff would cost more than it saves).</summary>
    public const int MinParallelLength = 1 << 17;

    private struct Job
    {
        public delegate*<void*, int, int, void> Body;
        public void* State;
        public int Length;
        public int Parts;

        /// <summary>Pieces start at multiples of this: 64 elements for element ranges, 1 for whole items.</summary>
        public int Granule;
    }

    /// <summary>Runs <c>body(state, start, end)</c> over pieces of [0, <paramref name="length"/>) that together cover it once.</summary>
    /// <param name="length">The number of elements.</param>
    /// <param name="state">Passed to <paramref name="body"/> unchanged.</param>
    /// <param name="body">The work for one piece; pieces start at multiples of 64 elements.</param>
    public static void Run(int length, void* state, delegate*<void*, int, int, void> body) =>
        Split(length, length < MinParallelLength ? 1 : KernelSettings.Threads, granule: 64, state, body);

    /// <summary>
    /// Runs <c>body(state, start, end)</c> over contiguous pieces of [0, <paramref name="count"/>) items (channels,
    /// image planes: units whose results do not depend on each other), one piece per thread, when the items hold at
    /// least <see cref="MinParallelLength"/> elements in all; otherwise <c>body(state, 0, count)</c> on this thread.
    /// </summary>
    /// <param name="count">The number of items.</param>
    /// <param name="elements">The elements the items hold in all (the work), which decides whether to split.</param>
    /// <param name="state">Passed to <paramref name="body"/> unchanged.</param>
    /// <param name="body">The work for items [start, end).</param>
    public static void RunItems(int count, long elements, void* state, delegate*<void*, int, int, void> body) =>
        Split(count, elements < MinParallelLength ? 1 : Math.Min(KernelSettings.Threads, count), granule: 1, state, body);

    /// <summary>Runs <paramref name="body"/> over <paramref name="parts"/> pieces of [0, length) on the pool, or over all of it here.</summary>
    private static void Split(int length, int parts, int granule, void* state, delegate*<void*, int, int, void> body)
    {
        var job = new Job { Body = body, State = state, Length = length, Parts = parts, Granule = granule };
        if (parts <= 1 || !GemmWorkerPool.TryRun(&RunPart, &job, parts))
            body(state, 0, length);
    }

    /// <summary>Sets every element of a <c>float[]</c> or <c>double[]</c> to zero, in pieces over the worker threads.</summary>
    /// <param name="data">The array.</param>
    public static void Clear(Array data)
    {
        if (data.Length < MinParallelLength || KernelSettings.Threads == 1) { Array.Clear(data); return; }
        if (data is float[] f) fixed (float* p = f) Run(f.Length, p, &ClearPiece<float>);
        else fixed (double* p = (double[])data) Run(data.Length, p, &ClearPiece<double>);
    }

    private static void ClearPiece<T>(void* data, int start, int end) where T : unmanaged =>
        new Span<T>((T*)data + start, end - start).Clear();

    private static void RunPart(void* job, int part)
    {
        ref readonly Job j = ref *(Job*)job;
        int start = Boundary(j.Length, j.Parts, part, j.Granule), end = Boundary(j.Length, j.Parts, part + 1, j.Granule);
        if (start < end) j.Body(j.State, start, end);
    }

    /// <summary>Where piece <paramref name="part"/> starts: an even split, rounded down to a multiple of <paramref name="granule"/>.</summary>
    private static int Boundary(int length, int parts, int part, int granule)
    {
        if (part >= parts) return length;
        int start = (int)((long)length * part / parts);
        return start - (start % granule);
    }
}
