using System.Runtime.CompilerServices;
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
    public int Parts;
    public bool SplitColumns;
}

/// <summary>
/// BLIS-style blocked GEMM for one vector path. C is cut into MR × NR tiles on a fixed grid; threads take
/// contiguous runs of whole tiles, and k is always cut at multiples of KC, so every element of C gets
/// the same sequence of operations whatever the thread count.
/// </summary>
internal static unsafe class GemmDriver<TOps, TVec, T>
    where TOps : struct, ISimd<TVec, T>
    where TVec : unmanaged
    where T : unmanaged
{
    private const int MR = GemmMicroKernel<TOps, TVec, T>.MR;
    private static readonly int KC = int.Parse(Environment.GetEnvironmentVariable("SG_KC") ?? "256");
    private static readonly int NC = int.Parse(Environment.GetEnvironmentVariable("SG_NC") ?? "4096");

    /// <summary>Below this many multiply-adds a second thread costs more than it saves.</summary>
    private const long ParallelThreshold = 1L << 20;

    private static int NR => GemmMicroKernel<TOps, TVec, T>.NR;

    // A block of MC × KC stays in L2: 144 rows for float, 72 for double (both multiples of MR).
    private static readonly int MC = int.Parse(Environment.GetEnvironmentVariable("SG_MC") ?? "144") * sizeof(float) / sizeof(T);

    /// <summary>C = (accumulate ? C : 0) + op(A)·op(B) for m, n, k ≥ 1, using up to <paramref name="threads"/> threads.</summary>
    public static void Run(ref GemmArgs<T> args, int threads)
    {
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
        int ldc = args.N;
        int lda = args.TransA ? args.M : args.K;
        int ldb = args.TransB ? args.K : args.N;
        int kcMax = Math.Min(KC, args.K);
        int ncMax = Math.Min(NC, (j1 - j0 + nr - 1) / nr * nr);
        int mcMax = Math.Min(mc, (i1 - i0 + MR - 1) / MR * MR);

        long aSize = GemmScratch<T>.AlignUp((long)mcMax * kcMax);
        long bSize = GemmScratch<T>.AlignUp((long)kcMax * ncMax);
        T* aPack = GemmScratch<T>.Rent(aSize + bSize + (MR * nr));
        T* bPack = aPack + aSize;
        T* tile = bPack + bSize;

        for (int jc = j0; jc < j1; jc += NC)
        {
            int nc = Math.Min(NC, j1 - jc);
            for (int pc = 0; pc < args.K; pc += KC)
            {
                int kc = Math.Min(KC, args.K - pc);
                bool loadC = args.Accumulate || pc > 0;
                GemmPacking<T>.PackB(args.B, ldb, args.TransB, pc, jc, kc, nc, nr, bPack);
                for (int ic = i0; ic < i1; ic += mc)
                {
                    int mcCur = Math.Min(mc, i1 - ic);
                    GemmPacking<T>.PackA(args.A, lda, args.TransA, ic, pc, mcCur, kc, MR, aPack);
                    T* cBlock = args.C + ((nint)ic * ldc) + jc;
                    MacroKernel(kc, mcCur, nc, aPack, bPack, cBlock, ldc, loadC, tile);
                }
            }
        }
    }

    /// <summary>Sweeps the micro-kernel over an mc × nc block of C; edge tiles go through a padded scratch tile.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MacroKernel(int kc, int mc, int nc, T* aPack, T* bPack, T* c, int ldc, bool loadC, T* tile)
    {
        int nr = NR;
        for (int jr = 0; jr < nc; jr += nr)
        {
            int cols = Math.Min(nr, nc - jr);
            T* bPanel = bPack + ((nint)jr * kc);
            for (int ir = 0; ir < mc; ir += MR)
            {
                int rows = Math.Min(MR, mc - ir);
                T* aPanel = aPack + ((nint)ir * kc);
                T* cTile = c + ((nint)ir * ldc) + jr;
                if (rows == MR && cols == nr)
                {
                    GemmMicroKernel<TOps, TVec, T>.Run(kc, aPanel, bPanel, cTile, ldc, loadC);
                }
                else
                {
                    CopyTile(cTile, ldc, tile, nr, rows, cols, loadC);
                    GemmMicroKernel<TOps, TVec, T>.Run(kc, aPanel, bPanel, tile, nr, loadC);
                    CopyTile(tile, nr, cTile, ldc, rows, cols, copy: true);
                }
            }
        }
    }

    /// <summary>Starts pulling the next tile of C towards L1 while the current one computes (its rows are 4 KB apart).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchTile(T* c, int ldc, int rows)
    {
        if (!Sse.IsSupported)
            return;
        for (int i = 0; i < rows; i++)
            Sse.Prefetch0(c + ((nint)i * ldc));
    }

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
