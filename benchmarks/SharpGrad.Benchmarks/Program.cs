namespace SharpGrad.Benchmarks;

/// <summary>Entry point: <c>dotnet run -c Release --project benchmarks/SharpGrad.Benchmarks -- &lt;name&gt;</c>.</summary>
internal static class Program
{
    // Add new benchmarks here (e.g. "mlp", "gradcheck"); "all" runs every entry in order.
    private static readonly Dictionary<string, Action> Benchmarks = new(StringComparer.OrdinalIgnoreCase)
    {
        ["gemm"] = GemmBenchmark.Run,
        ["mlp"] = MlpBenchmark.Run,
        ["gradcheck"] = GradCheckBenchmark.Run,
        ["fusions"] = FusionBenchmark.Run,
        ["profile"] = ProfileBenchmark.Run,
        ["microkernel"] = MicroKernelBenchmark.Run,
    };

    private static int Main(string[] args)
    {
        if (args.Length != 1)
            return Usage();
        if (args[0].Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            foreach (Action benchmark in Benchmarks.Values)
                benchmark();
            return 0;
        }

        if (!Benchmarks.TryGetValue(args[0], out Action? run))
            return Usage();
        run();
        return 0;
    }

    private static int Usage()
    {
        Console.Error.WriteLine($"usage: SharpGrad.Benchmarks <{string.Join('|', Benchmarks.Keys)}|all>");
        return 2;
    }
}
