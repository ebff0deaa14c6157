namespace SharpGrad.Cli;

/// <summary>Error messages as the command line prints them.</summary>
internal static class Messages
{
    /// <summary>
    /// The exception's message without the " (Parameter 'name')" that .NET appends to an
    /// <see cref="ArgumentException"/>'s message, also where an exception wrapping one repeats that message.
    /// </summary>
    /// <remarks>
    /// Only the commands' top-level handlers call this, just before printing. A wrapper that repeats an inner message
    /// (InputPaths.Read, OutputPaths.Writing, the resume checks of train) keeps the inner exception as its
    /// <see cref="Exception.InnerException"/> and leaves the message as it is: the handler's call walks that chain.
    /// </remarks>
    public static string Clean(Exception e)
    {
        string message = e.Message;
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
            if (inner is ArgumentException { ParamName: { Length: > 0 } name })
                message = message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal);
        return message;
    }
}
