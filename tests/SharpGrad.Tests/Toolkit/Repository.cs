namespace SharpGrad.Tests.Toolkit;

/// <summary>Files of the repository the tests read (the README, the samples, the MNIST sample).</summary>
internal static class Repository
{
    /// <summary>The folder holding SharpGrad.slnx, found by walking up from the test binaries.</summary>
    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "SharpGrad.slnx"))) return dir.FullName;
            throw new InvalidOperationException("SharpGrad.slnx not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>The path of <paramref name="parts"/> below <see cref="Root"/>.</summary>
    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);
}
