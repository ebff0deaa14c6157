namespace SharpGrad.Tests.Toolkit;

/// <summary>
/// Runs code beside FIFOs the test made, failing the test instead of hanging it: opening a FIFO to write waits, with no
/// time limit, for a reader, so code that should refuse a FIFO (or write through it to the test's own reader) but
/// regressed would otherwise block the test run forever.
/// </summary>
internal static class FifoGuard
{
    /// <summary>How long the code may take: generous for work that should take milliseconds, even on a loaded machine.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Runs <paramref name="action"/> on a thread of its own and returns its result (or rethrows its exception); fails
    /// the test if it has not finished within <see cref="Bound"/>, after opening each of <paramref name="fifos"/> to read
    /// so that a writer blocked on one finishes (into nothing) instead of running on beside the tests that follow.
    /// </summary>
    public static T Run<T>(Func<T> action, params string[] fifos)
    {
        var task = Task.Factory.StartNew(action, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        if (((IAsyncResult)task).AsyncWaitHandle.WaitOne(Bound))
            return task.GetAwaiter().GetResult();

        foreach (string fifo in fifos)
        {
            _ = Task.Factory.StartNew(() =>
            {
                using var reader = new FileStream(fifo, FileMode.Open, FileAccess.Read);
                reader.CopyTo(Stream.Null);
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }

        ((IAsyncResult)task).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(5));
        Assert.Fail($"still running after {Bound.TotalSeconds:0} s, most likely blocked opening {string.Join(" or ", fifos)} to write (a FIFO without a reader)");
        return default!;
    }

    /// <inheritdoc cref="Run{T}(Func{T}, string[])"/>
    public static void Run(Action action, params string[] fifos) =>
        Run(() =>
        {
            action();
            return 0;
        }, fifos);
}
