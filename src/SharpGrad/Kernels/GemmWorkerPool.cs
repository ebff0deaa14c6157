using System.Diagnostics;

namespace SharpGrad.Kernels;

/// <summary>
/// A persistent pool of worker threads for kernels. A job is split into <c>parts</c> numbered pieces, fixed by the
/// caller, so the split is deterministic; which thread runs a piece is not. The caller and the woken workers claim
/// pieces in order until none is left, so when a worker is slow to wake (its core busy with another process) the
/// caller runs its pieces instead of waiting for it. Workers spin briefly after a job (back-to-back calls in a
/// training step are then cheap) and then block.
/// </summary>
internal static unsafe class GemmWorkerPool
{
    private static readonly long SpinTicks = Stopwatch.Frequency / 5000; // 200 µs
    private static readonly Lock DispatchLock = new();
    private static readonly List<Worker> Workers = [];

    private static delegate*<void*, int, void> s_work;
    private static void* s_state;
    private static int s_parts;
    private static int s_pending;

    /// <summary>The current job's generation, modulo 2³² (high 32 bits), and its next unclaimed part (low 32 bits).</summary>
    private static long s_claim;

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
            s_parts = parts;
            Volatile.Write(ref s_pending, parts);
            long generation = ++s_generation;

            // Publishing the claim word (after the job's fields) opens the job to the workers.
            Interlocked.Exchange(ref s_claim, (long)((ulong)(uint)generation << 32));
            for (int i = 0; i < parts - 1; i++)
                Workers[i].Start(generation);

            RunClaimedParts(generation);

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

    /// <summary>
    /// Claims and runs parts of the job of <paramref name="generation"/> until none is left. A claim succeeds only while
    /// that job is current, and the job stays current until its claimed parts are done, so the job's fields read after
    /// a successful claim are that job's.
    /// </summary>
    private static void RunClaimedParts(long generation)
    {
        while (true)
        {
            long claim = Volatile.Read(ref s_claim);
            int part = (int)(claim & 0xFFFF_FFFF);
            if ((uint)((ulong)claim >> 32) != (uint)generation || part >= Volatile.Read(ref s_parts))
                return;
            if (Interlocked.CompareExchange(ref s_claim, claim + 1, claim) != claim)
                continue;
            try
            {
                s_work(s_state, part);
            }
            finally
            {
                Interlocked.Decrement(ref s_pending);
            }
        }
    }

    private sealed class Worker
    {
        private readonly object _gate = new();
        private long _ticket;

        public Worker(int number)
        {
            var thread = new Thread(Loop) { IsBackground = true, Name = $"SharpGrad kernel worker {number}" };
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
                RunClaimedParts(seen);
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
