using System.Diagnostics;

namespace SharpGrad.Kernels;

/// <summary>
/// A persistent pool of worker threads for kernels. A job is split into <c>parts</c> numbered pieces; the
/// caller runs piece 0 and worker <c>i</c> runs piece <c>i + 1</c>, so the split is fixed and deterministic.
/// Workers spin briefly after a job (back-to-back calls in a training step are then cheap) and then block.
/// </summary>
internal static unsafe class GemmWorkerPool
{
    private static readonly long SpinTicks = Stopwatch.Frequency / 5000; // 200 µs
    private static readonly Lock DispatchLock = new();
    private static readonly List<Worker> Workers = [];

    private static delegate*<void*, int, void> s_work;
    private static void* s_state;
    private static int s_pending;
    private static long s_generation;

    /// <summary>
    /// Runs <c>work(state, part)</c> for every part in [0, parts) and returns when all are done. Returns
    /// false without running anything if another call holds the pool; the caller then runs serially.
    /// </summary>
    public static bool TryRun(delegate*<void*, int, void> work, void* state, int parts)
    {
        if (!DispatchLock.TryEnter())
            return false;
        try
        {
            while (Workers.Count < parts - 1)
                Workers.Add(new Worker(Workers.Count + 1));

            s_work = work;
            s_state = state;
            Volatile.Write(ref s_pending, parts - 1);
            long generation = ++s_generation;
            for (int i = 0; i < parts - 1; i++)
                Workers[i].Start(generation);

            work(state, 0);

            var spinner = default(SpinWait);
            while (Volatile.Read(ref s_pending) != 0)
                spinner.SpinOnce(sleep1Threshold: -1);
            return true;
        }
        finally
        {
            DispatchLock.Exit();
        }
    }

    private sealed class Worker
    {
        private readonly object _gate = new();
        private readonly int _part;
        private long _ticket;

        public Worker(int part)
        {
            _part = part;
            var thread = new Thread(Loop) { IsBackground = true, Name = $"SharpGrad kernel worker {part}" };
            thread.Start();
        }

        public void Start(long generation)
        {
            lock (_gate)
            {
                Volatile.Write(ref _ticket, generation);
                Monitor.Pulse(_gate);
            }
        }

        private void Loop()
        {
            long seen = 0;
            while (true)
            {
                seen = WaitForTicket(seen);
                try
                {
                    s_work(s_state, _part);
                }
                finally
                {
                    Interlocked.Decrement(ref s_pending);
                }
            }
        }

        private long WaitForTicket(long seen)
        {
            long deadline = Stopwatch.GetTimestamp() + SpinTicks;
            while (Stopwatch.GetTimestamp() < deadline)
            {
                long ticket = Volatile.Read(ref _ticket);
                if (ticket != seen)
                    return ticket;
                Thread.SpinWait(16);
            }

            lock (_gate)
            {
                while (Volatile.Read(ref _ticket) == seen)
                    Monitor.Wait(_gate);
                return _ticket;
            }
        }
    }
}
