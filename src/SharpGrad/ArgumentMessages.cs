namespace SharpGrad;

/// <summary>Exception messages as a one-line report shows them.</summary>
internal static class ArgumentMessages
{
    /// <summary>
    /// <paramref name="e"/>'s message without the " (Parameter 'name')" that .NET appends to an
    /// <see cref="ArgumentException"/>'s message: removed for <paramref name="e"/> itself and for every exception in
    /// its <see cref="Exception.InnerException"/> chain, so also where a wrapper repeats an inner message.
    /// </summary>
    /// <param name="e">The exception.</param>
    /// <returns>The message, otherwise as it is.</returns>
    public static string WithoutParameterNames(Exception e)
    {
        string message = e.Message;
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
            if (inner is ArgumentException { ParamName: { Length: > 0 } name })
                message = message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal);
        return message;
    }
}
