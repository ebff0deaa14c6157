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
    public static string Clean(Exception e) => ArgumentMessages.WithoutParameterNames(e);

    /// <summary>
    /// The line printed when a command runs out of memory, with a hint that fits that command: the options that make
    /// a training run smaller are train's, and mean nothing to eval, export or calc.
    /// </summary>
    /// <param name="command">The subcommand's name ("train", "eval", "export", "calc"), or null for none.</param>
    /// <returns>The message, starting with "sharpgrad" and the command.</returns>
    public static string OutOfMemory(string? command) => command switch
    {
        "train" => "sharpgrad train: not enough memory for this job; try a smaller model (--hidden), --batch-size or --train-limit.",
        "eval" => "sharpgrad eval: not enough memory for the --model file and the test digits together; try a smaller test set (--data).",
        "export" => "sharpgrad export: not enough memory for the --model file and its ONNX graph together; export it on a machine with more memory.",
        "calc" => "sharpgrad calc: not enough memory for this program; try a smaller program, or leave out --order 2 and --svg.",
        null => "sharpgrad: not enough memory for this job.",
        _ => $"sharpgrad {command}: not enough memory for this job.",
    };

    /// <summary>
    /// How an error names a file an option leads to without naming it itself: "--save (its optimizer-state file)",
    /// "--report (its metrics.csv)".
    /// </summary>
    /// <param name="option">The option, e.g. "--save".</param>
    /// <param name="file">What the file is to the option, e.g. "optimizer-state file" or a file name.</param>
    public static string FileOf(string option, string file) => $"{option} (its {file})";

    /// <summary>The line a command prints for a refused input or a failed write: "sharpgrad train: " and the cleaned message.</summary>
    /// <param name="command">The subcommand, e.g. "train".</param>
    /// <param name="e">The exception, its message cleaned by <see cref="Clean"/>.</param>
    public static string Line(string command, Exception e) => $"sharpgrad {command}: {Clean(e)}";
}
