namespace SharpGrad.Cli.Train;

/// <summary>
/// The values one training setting accepts: an option given on the command line (<see cref="TrainOptions.Resolve"/>)
/// and the same setting read back from a resumed run's file (<see cref="TrainOptions.ResumeFrom"/>) follow one rule.
/// </summary>
/// <typeparam name="T">The setting's type.</typeparam>
/// <param name="Accepts">Whether a value is allowed.</param>
/// <param name="Saved">What a saved value must be, as a damaged file's message puts it: "is 'x', not {Saved}".</param>
/// <param name="Given">What an option's value must be, as "--x must be {Given}, not v." puts it; <paramref name="Saved"/> when null.</param>
internal sealed record SettingRule<T>(Func<T, bool> Accepts, string Saved, string? Given = null)
{
    /// <summary>What an option's value must be, for "--x must be …".</summary>
    public string Required => Given ?? Saved;
}
