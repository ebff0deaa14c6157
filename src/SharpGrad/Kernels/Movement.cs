namespace SharpGrad.Kernels;

/// <summary>Data-movement kernels: axis permutation of contiguous row-major storage.</summary>
internal static class Movement
{
    /// <summary>
    /// destination = x with its axes reordered: output axis i is input axis <paramref name="perm"/>[i].
    /// </summary>
    public static void Permute<T>(ReadOnlySpan<T> x, ReadOnlySpan<int> shape, ReadOnlySpan<int> perm, Span<T> destination) where T : unmanaged
    {
        int rank = shape.Length;
        if (x.Length == 0) return;
        // On the stack: a training step permutes every convolution's output, and must not allocate.
        Span<int> inStrides = stackalloc int[rank];
        for (int i = rank - 1, stride = 1; i >= 0; stride *= shape[i], i--) inStrides[i] = stride;
        Span<int> outShape = stackalloc int[rank];
        Span<int> strides = stackalloc int[rank]; // input stride for each output axis
        for (int i = 0; i < rank; i++)
        {
            outShape[i] = shape[perm[i]];
            strides[i] = inStrides[perm[i]];
        }
        if (rank == 2 && perm[0] == 1)
        {
            Transpose2D(x, shape[0], shape[1], destination);
            return;
        }
        int n = rank == 0 ? 1 : outShape[rank - 1], s = rank == 0 ? 1 : strides[rank - 1];
        Span<int> index = stackalloc int[Math.Max(rank, 1)];
        int o = 0;
        for (int d = 0; d < destination.Length; d += n)
        {
            var row = destination.Slice(d, n);
            if (s == 1) x.Slice(o, n).CopyTo(row);
            else for (int j = 0; j < n; j++) row[j] = x[o + j * s];
            for (int k = rank - 2; k >= 0; k--)
            {
                o += strides[k];
                if (++index[k] < outShape[k]) break;
                o -= strides[k] * outShape[k];
                index[k] = 0;
            }
        }
    }

    /// <summary>destination (cols × rows) = xᵀ for x (rows × cols), in cache-sized tiles.</summary>
    public static void Transpose2D<T>(ReadOnlySpan<T> x, int rows, int cols, Span<T> destination) where T : unmanaged
    {
        const int Tile = 32;
        for (int i0 = 0; i0 < rows; i0 += Tile)
        {
            int i1 = Math.Min(i0 + Tile, rows);
            for (int j0 = 0; j0 < cols; j0 += Tile)
            {
                int j1 = Math.Min(j0 + Tile, cols);
                for (int i = i0; i < i1; i++)
                    for (int j = j0; j < j1; j++)
                        destination[j * rows + i] = x[i * cols + j];
            }
        }
    }
}
