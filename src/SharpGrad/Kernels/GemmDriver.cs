using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SharpGrad.Kernels;

/// <summary>Everything one GEMM call needs, passed by pointer to the pool's workers (the caller waits).</summary>
internal unsafe struct GemmArgs<T>
    where T : unmanaged
{
    public T* A;
    public T* B;
    public T* C;
    public int M;
    public int N;
    public int K;
    public bool TransA;
    public bool TransB;
    public bool Accumulate;

    /// <summary>Whether C is stored transposed: element (i, j) of the product at <c>C[j·M + i]</c> instead of <c>C[i·N + j]</c>.</summary>
    public bool TransC;
    public int Parts;
    public bool SplitColumns;
}

/// <summary>
/// BLIS-style blocked GEMM for one vector path. C is cut into MR × NR tiles on a fixed grid; threads take
/// contiguous runs of whole tiles, and k is always cut into the same passes (a function of the shape alone, as is the choice
/// to compute Cᵀ), so every element of C gets the same sequence of operations whatever the thread count.
/// </summary>
internal static unsafe class GemmDriver<TOps, TVec, T>
    where TOps : struct, ISimd<TVec, T>
    where TVec : unmanaged
    where T : unmanaged
{
    private const int KC = 256;

    // On the 8-row path the packed B block (KC × NC) is streamed once per row panel of A (from L2, or L3 with
    // prefetching); measured on a 1 MB-L2 Zen 4, 2048 beat 1024 and 512 for both precisions. The 6-row paths keep 4096.
    private static int NC => MR == 8 ? 2048 : 4096;

    /// <summary>
    /// Up to this many multiply-adds the operands are small enough to stay in L2, so op(A) (either layout) and a
    /// non-transposed B are read in place instead of being packed: packing would cost as much as it saves.
    /// </summary>
    private const long DirectThreshold = 1L << 24;

    /// <summary>
    /// The largest k for which C is computed transposed (see <see cref="Run"/>), in a single pass: those tiles go through a
    /// scratch tile, which one pass per tile amortises (measured: 4 passes of 250 were slower than packing B); the packed
    /// panels of the small operand (k × NR) then live in L2.
    /// </summary>
    private const int KCTransposedC = 1024;

    /// <summary>
    /// Below this many multiply-adds a product runs on one thread. Measured on the Zen 5 guest (a `/tmp` harness, medians of
    /// five rounds of 400 calls, the worker awake): products of 0.64–3.6 million multiply-adds ran 1.5–2.0× faster on two
    /// threads (128³ 16.8 → 9.7 µs, the CNN's first convolution 16 × 25,088 × 9 55.5 → 28.1 µs), so the threshold went from
    /// 2²² down to 2²¹, leaving room for a worker's wake-up. That convolution's product then splits by columns just as
    /// its im2col matrix does (by image), so each thread multiplies the columns it unfolded. Whole training steps could
    /// not confirm a gain: two-thread steps switch between two speeds from round to round on this guest (see
    /// BENCHMARKS.md), and the CNN step against TorchSharp measured the same in its fast rounds with 2²² and 2²¹.
    /// </summary>
    private const long ParallelThreshold = 1L << 21;

    private static int NR => GemmMicroKernel<TOps, TVec, T>.NR;

    private static int MR => GemmMicroKernel<TOps, TVec, T>.MR;

    // A block of MC × KC stays in L2: 144 rows for float, 72 for double (multiples of both tile heights, 6 and 8).
    private static int MC => 144 * sizeof(float) / sizeof(T);

    /// <summary>C = (accumulate ? C : 0) + op(A)·op(B) for m, n, k ≥ 1, using up to <paramref name="threads"/> threads.</summary>
    public static void Run(ref GemmArgs<T> args, int threads)
    {
        if (ComputeTransposed(in args))
        {
            // C = A·Bᵀ with few rows (a batch) and a wide B (a weight matrix): compute Cᵀ = B·Aᵀ instead. B is then read
            // in place as the broadcast operand and only the small A gets transposed into packed panels, instead of
            // the whole of B (a full extra pass over the weights for every call).
            T* a = args.A;
            args.A = args.B;
            args.B = a;
            (args.M, args.N) = (args.N, args.M);
            args.TransC = true;
        }

        int rowTiles = (args.M + MR - 1) / MR;
        int colTiles = (args.N + NR - 1) / NR;
        args.SplitColumns = colTiles >= rowTiles;
        long work = (long)args.M * args.N * args.K;
        int parts = work < ParallelThreshold ? 1 : Math.Min(threads, args.SplitColumns ? colTiles : rowTiles);
        args.Parts = Math.Max(parts, 1);

        fixed (GemmArgs<T>* state = &args)
        {
            if (args.Parts == 1 || !GemmWorkerPool.TryRun(&RunPart, state, args.Parts))
            {
                args.Parts = 1;
                RunPart(state, 0);
            }
        }
    }

    /// <summary>
    /// Whether to run C = A·Bᵀ as Cᵀ = B·Aᵀ: only for the NT layout, above the direct-mode size, with m small and n several
    /// times larger (the forward pass of a linear layer: batch × inputs times (outputs × inputs)ᵀ), k in one pass, and no
    /// accumulation (so C is only written). m must fill at least one tile width (NR), which m becomes: a batch of 1-31
    /// would waste most vector lanes. A function of the shape alone.
    /// </summary>
    private static bool ComputeTransposed(in GemmArgs<T> args) =>
        args.TransB && !args.TransA && !args.Accumulate && args.M >= NR && args.M <= 256 && args.N >= 4 * args.M
        && args.K <= KCTransposedC && (long)args.M * args.N * args.K > DirectThreshold;

    private static void RunPart(void* state, int part)
    {
        ref readonly GemmArgs<T> args = ref *(GemmArgs<T>*)state;
        int i0 = 0, i1 = args.M, j0 = 0, j1 = args.N;
        if (args.SplitColumns)
            (j0, j1) = TileRange(args.N, NR, part, args.Parts);
        else
            (i0, i1) = TileRange(args.M, MR, part, args.Parts);
        if (i0 < i1 && j0 < j1)
            RunBlock(in args, i0, i1, j0, j1);
    }

    /// <summary>Elements [start, end) of a dimension of the given length for one part of a tile-aligned split.</summary>
    private static (int Start, int End) TileRange(int length, int tile, int part, int parts)
    {
        long tiles = (length + tile - 1) / tile;
        int start = (int)(tiles * part / parts) * tile;
        int end = (int)(tiles * (part + 1) / parts) * tile;
        return (Math.Min(start, length), Math.Min(end, length));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunBlock(in GemmArgs<T> args, int i0, int i1, int j0, int j1)
    {
        int nr = NR, mc = MC;
        int ldc = args.TransC ? args.M : args.N;
        int lda = args.TransA ? args.M : args.K;
        int ldb = args.TransB ? args.K : args.N;
        // k is cut into equal passes of at most KC (784 → 4 × 196, not 3 × 256 + 16): no short, overhead-bound pass. A
        // transposed C takes k in one pass (ComputeTransposed only picks k ≤ KCTransposedC).
        int kcLimit = args.TransC ? KCTransposedC : KC;
        int passes = (args.K + kcLimit - 1) / kcLimit;
        int kcBlock = (args.K + passes - 1) / passes;
        int kcMax = kcBlock;
        int ncMax = Math.Min(NC, (j1 - j0 + nr - 1) / nr * nr);
        int mcMax = Math.Min(mc, (i1 - i0 + MR - 1) / MR * MR);

        // The choice depends only on the problem's shape, never on the thread count: results stay bit-identical.
        bool direct = (long)args.M * args.N * args.K <= DirectThreshold;
        bool directA = direct || args.TransC, directB = direct && !args.TransB;

        // Direct mode still packs the one partial row panel of A and the one partial column panel of B (zero-padded).
        long aSize = GemmScratch<T>.AlignUp(directA ? (long)MR * kcMax : (long)mcMax * kcMax);
        long bSize = GemmScratch<T>.AlignUp(directB ? (long)kcMax * nr : (long)kcMax * ncMax);
        T* aPack = GemmScratch<T>.Rent(aSize + bSize + (2 * MR * nr));
        T* bPack = aPack + aSize;
        T* tile = bPack + bSize;
        var blk = new Block
        {
            Lda = lda, Ldb = ldb, Ldc = ldc, TransC = args.TransC, DirectA = directA, DirectB = directB, APack = aPack, BPack = bPack, Tile = tile,
        };

        for (int jc = j0; jc < j1; jc += NC)
        {
            int nc = Math.Min(NC, j1 - jc);
            for (int pc = 0; pc < args.K; pc += kcBlock)
            {
                int kc = Math.Min(kcBlock, args.K - pc);
                bool loadC = args.Accumulate || pc > 0;
                int fullCols = directB ? nc / nr * nr : nc;
                if (!directB)
                    GemmPacking<T>.PackB(args.B, ldb, args.TransB, pc, jc, kc, nc, nr, bPack);
                else if (fullCols < nc)
                    GemmPacking<T>.PackB(args.B, ldb, args.TransB, pc, jc + fullCols, kc, nc - fullCols, nr, bPack);
                for (int ic = i0; ic < i1; ic += mc)
                {
                    int mcCur = Math.Min(mc, i1 - ic);
                    int fullRows = directA ? mcCur / MR * MR : mcCur;
                    if (!directA)
                        GemmPacking<T>.PackA(args.A, lda, args.TransA, ic, pc, mcCur, kc, MR, aPack);
                    else if (fullRows < mcCur)
                        GemmPacking<T>.PackA(args.A, lda, args.TransA, ic + fullRows, pc, mcCur - fullRows, kc, MR, aPack);
                    T* cBlock = args.TransC ? args.C + ((nint)jc * ldc) + ic : args.C + ((nint)ic * ldc) + jc;
                    MacroKernel(in args, in blk, ic, jc, pc, kc, mcCur, nc, fullRows, fullCols, cBlock, loadC);
                }
            }
        }
    }

    private struct Block
    {
        public int Lda, Ldb, Ldc;
        public bool TransC;
        public bool DirectA, DirectB;
        public T* APack, BPack, Tile;
    }

    /// <summary>
    /// Sweeps the micro-kernel over an mc × nc block of C. On the 8-row path with packed B, row panel by row panel: the A
    /// micro-panel stays in L1 while the B panels stream from L2 or L3, and C is walked along its rows (measured faster on
    /// Zen 4, above all for short k and an accumulated C). Otherwise column panel by column panel, BLIS's order: the B
    /// micro-panel stays in L1 while the A panels stream from L2 (measured faster on the 6-row paths for the MLP shapes).
    /// B read in place takes that order on the 8-row path too: its rows lie a whole row of B apart (3 KB for the
    /// 100 × 784 weight gradient of the small MLP, beyond the stride the L1 prefetcher follows), so it pays to fetch
    /// each panel once and reuse it for every row panel (measured on the Xeon: that gradient 117 → 107 µs, 100 × 100 × 784
    /// NN 4–7 % faster, 256³ within ±3 %). The order of tiles does not change any element's operations.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MacroKernel(in GemmArgs<T> args, in Block blk, int ic, int jc, int pc, int kc, int mc, int nc, int fullRows, int fullCols, T* c, bool loadC)
    {
        int nr = NR;
        if (MR == 8 && !blk.DirectB)
        {
            bool prefetchA = blk.DirectA && !args.TransA && Sse.IsSupported;
            // For the prefetch only: the kc elements of each next A row span `lines` 64-byte cache lines, asked for
            // linesPerTile at a time, spread over this row panel's tiles.
            int lines = 0, linesPerTile = 0;
            if (prefetchA)
            {
                int tiles = (nc + nr - 1) / nr;
                lines = ((kc * sizeof(T)) + 63) / 64;
                linesPerTile = (lines + tiles - 1) / tiles;
            }
            for (int ir = 0; ir < mc; ir += MR)
            {
                for (int jr = 0, t = 0; jr < nc; jr += nr, t++)
                {
                    if (prefetchA)
                        PrefetchNextRowPanel(in args, in blk, ic + ir + MR, pc, t * linesPerTile, Math.Min(lines, (t + 1) * linesPerTile));
                    Tile(in args, in blk, ic, jc, pc, kc, ir, jr, mc, nc, fullRows, fullCols, c, loadC);
                }
            }
        }
        else
        {
            for (int jr = 0; jr < nc; jr += nr)
            {
                for (int ir = 0; ir < mc; ir += MR)
                    Tile(in args, in blk, ic, jc, pc, kc, ir, jr, mc, nc, fullRows, fullCols, c, loadC);
            }
        }
    }

    /// <summary>
    /// Asks for cache lines [line0, line1) of each of the MR rows of A that start at <paramref name="row"/> (k from
    /// <paramref name="pc"/>) to be brought into L2, while the tiles of the current row panel run. A read in place (a
    /// weight matrix) is often not in any cache at the start of a step (the optimizer has just streamed every parameter
    /// through), and eight rows a row of A apart are more streams than the hardware prefetcher runs ahead on. Changes
    /// no arithmetic. Measured (in-process A/B, 1 thread): the 128 × 784 × 1000 forward 2 % faster after a cache sweep,
    /// the 784-1000-1000-10 step ≈ 1 % faster, the 784-100-10 step unchanged.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchNextRowPanel(in GemmArgs<T> args, in Block blk, int row, int pc, int line0, int line1)
    {
        int rows = Math.Min(MR, args.M - row);
        for (int r = 0; r < rows; r++)
        {
            byte* start = (byte*)(args.A + ((nint)(row + r) * blk.Lda) + pc);
            for (int l = line0; l < line1; l++)
                Sse.Prefetch1(start + (l * 64));
        }
    }

    /// <summary>The tile at (ir, jr) of the block: finds its A and B micro-panels (packed or in place) and runs it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile(in GemmArgs<T> args, in Block blk, int ic, int jc, int pc, int kc, int ir, int jr, int mc, int nc, int fullRows, int fullCols, T* c, bool loadC)
    {
        int nr = NR, ldc = blk.Ldc;
        T* tile = blk.Tile;
        int rows = Math.Min(MR, mc - ir);
        int cols = Math.Min(nr, nc - jr);
        T* aPanel;
        nint aRow, aStep;
        if (!blk.DirectA)
        {
            aPanel = blk.APack + ((nint)ir * kc);
            aRow = 1;
            aStep = MR;
        }
        else if (ir < fullRows)
        {
            int row = ic + ir;
            if (args.TransA)
            {
                aPanel = args.A + ((nint)pc * blk.Lda) + row;
                aRow = 1;
                aStep = blk.Lda;
            }
            else
            {
                aPanel = args.A + ((nint)row * blk.Lda) + pc;
                aRow = blk.Lda;
                aStep = 1;
            }
        }
        else
        {
            aPanel = blk.APack;
            aRow = 1;
            aStep = MR;
        }

        T* bPanel;
        nint bStep;
        if (!blk.DirectB)
        {
            bPanel = blk.BPack + ((nint)jr * kc);
            bStep = nr;
        }
        else if (jr < fullCols)
        {
            bPanel = args.B + ((nint)pc * blk.Ldb) + jc + jr;
            bStep = blk.Ldb;
        }
        else
        {
            bPanel = blk.BPack;
            bStep = nr;
        }

        if (blk.TransC)
        {
            // Tile (r, c) of the product is C[c·ldc + r]: compute into a scratch tile, then transpose it out.
            T* cTile = c + ((nint)jr * ldc) + ir;
            T* transposed = tile + (MR * nr);
            if (Sse.IsSupported)
            {
                // The tile's destination is one short run in each of `cols` rows of C, lines the micro-kernel never
                // touches: ask for them now, so the stores after the k-loop do not wait on them (forward products
                // 1–2 % faster, measured with cold and warm caches).
                for (int j = 0; j < cols; j++)
                {
                    Sse.Prefetch0(cTile + ((nint)j * ldc));
                    Sse.Prefetch0(cTile + ((nint)j * ldc) + rows - 1);
                }
            }
            CopyTileTransposed(cTile, ldc, transposed, nr, rows, cols, toTile: true, loadC);
            RunTile(kc, aPanel, aRow, aStep, bPanel, bStep, transposed, nr, rows, cols, tile, loadC);
            CopyTileTransposed(cTile, ldc, transposed, nr, rows, cols, toTile: false, copy: true);
        }
        else
        {
            T* cTile = c + ((nint)ir * ldc) + jr;
            RunTile(kc, aPanel, aRow, aStep, bPanel, bStep, cTile, ldc, rows, cols, tile, loadC);
        }
    }

    /// <summary>
    /// One tile of C (rows ≤ MR, cols ≤ NR) with the smallest kernel that covers it: the one-vector-wide kernel for a last
    /// column panel of at most W columns (n = 1000 = 31·32 + 8), the four-row kernel for a last row panel of at most four
    /// rows on the 8-row path (m = 100 = 12·8 + 4). A tile the kernel does not fill exactly goes through a padded scratch tile.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RunTile(int kc, T* a, nint aRow, nint aStep, T* b, nint bStep, T* c, int ldc, int rows, int cols, T* scratch, bool loadC)
    {
        int nr = NR, w = nr / 2;
        bool fourRows = MR == 8 && rows <= 4;
        bool half = cols <= w;

        // On the 512-bit path a last panel of at most W/2 columns (n = 100 = 3·32 + 4) runs with 256-bit vectors:
        // half the lanes at half the cost of a 512-bit FMA.
        bool quarter = MR == 8 && cols <= w / 2;
        int kernelCols = quarter ? w / 2 : half ? w : nr;
        bool inPlace = rows == (fourRows ? 4 : MR) && cols == kernelCols;
        T* dst = c;
        nint ld = ldc;
        if (!inPlace)
        {
            CopyTile(c, ldc, scratch, nr, rows, cols, loadC);
            dst = scratch;
            ld = nr;
        }

        if (quarter)
        {
            if (fourRows)
                GemmMicroKernel<Simd256<T>, Vector256<T>, T>.RunHalf4(kc, a, aRow, aStep, b, bStep, dst, ld, loadC);
            else
                GemmMicroKernel<Simd256<T>, Vector256<T>, T>.RunHalf8(kc, a, aRow, aStep, b, bStep, dst, ld, loadC);
        }
        else if (fourRows)
        {
            if (half)
                GemmMicroKernel<TOps, TVec, T>.RunHalf4(kc, a, aRow, aStep, b, bStep, dst, ld, loadC);
            else
                GemmMicroKernel<TOps, TVec, T>.Run4(kc, a, aRow, aStep, b, bStep, dst, ld, loadC);
        }
        else if (half)
        {
            GemmMicroKernel<TOps, TVec, T>.RunHalf(kc, a, aRow, aStep, b, bStep, dst, ld, loadC);
        }
        else
        {
            GemmMicroKernel<TOps, TVec, T>.Run(kc, a, aRow, aStep, b, bStep, dst, ld, loadC);
        }

        if (!inPlace)
            CopyTile(scratch, nr, c, ldc, rows, cols, copy: true);
    }

    /// <summary>
    /// Moves a rows × cols tile between C stored transposed (tile element (r, c) at <c>c[c·ldc + r]</c>) and the row-major
    /// scratch tile (at <c>tile[r·tileStride + c]</c>): into the tile when <paramref name="toTile"/>, else back into C.
    /// </summary>
    /// <remarks>
    /// Optimised from the first call, like every helper of the GEMM: at tier 0 this loop alone cost 1.6 µs per tile.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CopyTileTransposed(T* c, int ldc, T* tile, int tileStride, int rows, int cols, bool toTile, bool copy)
    {
        if (!copy)
            return;

        // Out of a full-height tile: 8 × 8 register transposes instead of one scalar store per element (those cost 4–14 %
        // of the 128 × 784 × 1000 forward product, measured).
        if (!toTile && GemmPacking<T>.TryTranspose(tile, tileStride, rows, cols, c, ldc))
            return;
        for (int j = 0; j < cols; j++)
        {
            T* column = c + ((nint)j * ldc);
            if (toTile)
            {
                for (int i = 0; i < rows; i++)
                    tile[(i * tileStride) + j] = column[i];
            }
            else
            {
                for (int i = 0; i < rows; i++)
                    column[i] = tile[(i * tileStride) + j];
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CopyTile(T* source, int sourceStride, T* destination, int destinationStride, int rows, int cols, bool copy)
    {
        if (!copy)
            return; // the micro-kernel ignores the tile's contents when it does not load C
        for (int i = 0; i < rows; i++)
        {
            new ReadOnlySpan<T>(source + ((nint)i * sourceStride), cols)
                .CopyTo(new Span<T>(destination + ((nint)i * destinationStride), cols));
        }
    }
}
