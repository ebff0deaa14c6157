namespace SharpGrad.Cli;

/// <summary>Error messages as the command line prints them.</summary>
internal static class Messages
{
    /// <summary>
    /// The exception's message without the " (Parameter 'name')" that .NET appends to an
    /// <see cref="ArgumentException"/>'s message, also where an exception wrapping one repeats that message.
    /// </summary>
    public static string Clean(Exception e)
    {
        string message = e.Message;
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
            if (inner is ArgumentException { ParamName: { Length: > 0 } name })
                message = message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal);
        return message;
    }
}
