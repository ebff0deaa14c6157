namespace SharpGrad.Kernels;

/// <summary>Process-wide kernel settings (temporary; replaced by the GEMM work).</summary>
public static class KernelSettings
{
    /// <summary>Worker threads for matrix products.</summary>
    public static int Threads { get; set; } = Environment.ProcessorCount;
}
