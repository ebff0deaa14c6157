namespace SharpGrad.Tests.Toolkit;

/// <summary>A test that takes minutes: skipped unless the environment variable SHARPGRAD_SLOW_TESTS is 1.</summary>
public sealed class SlowFactAttribute : FactAttribute
{
    public SlowFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("SHARPGRAD_SLOW_TESTS") != "1")
            Skip = "slow: set SHARPGRAD_SLOW_TESTS=1 to run (use -c Release for meaningful timings)";
    }
}
