using SharpGrad.IO;
using SharpGrad.Tests.Toolkit;

namespace SharpGrad.Tests.IO;

/// <summary>
/// A batch commits all or none. Its temporaries used to be renamed over their targets one by one, so a rename that
/// failed after an earlier one had succeeded split the set: a new optimizer state beside an old model (which a later
/// --resume took as one run), or a report of new and old files. The failures here are injected into the commit's
/// renames (<see cref="AtomicFile.Batch.BeforeRename"/>), or made by a target that became a folder.
/// </summary>
public sealed class BatchRollbackTests : IDisposable
{
    private readonly TempDirectory _temp = new("sharpgrad-batch-rollback-");

    public void Dispose() => _temp.Dispose();

    /// <summary>Two existing targets, "a" and "b", and a path "c" where nothing is yet.</summary>
    private (string A, string B, string C, string[] Hashes) Existing()
    {
        string a = _temp.Write("a", "old a"u8.ToArray()), b = _temp.Write("b", "old b"u8.ToArray());
        return (a, b, _temp.PathOf("c"), FileHashes.Of([a, b]));
    }

    /// <summary>Writes new contents to <paramref name="paths"/> in one batch and commits it, failing as <paramref name="fault"/> says.</summary>
    private static void Commit(Action<string, string> fault, params string[] paths)
    {
        using var batch = AtomicFile.BeginBatch();
        foreach (string path in paths) AtomicFile.WriteAllText(path, "new " + Path.GetFileName(path));
        batch.BeforeRename = fault;
        batch.Commit();
    }

    /// <summary>A fault for the first rename <paramref name="which"/> picks; the renames that put things back then go through.</summary>
    private static Action<string, string> FailWhen(Func<string, string, bool> which)
    {
        bool failed = false;
        return (from, to) =>
        {
            if (failed || !which(from, to)) return;
            failed = true;
            throw new IOException("injected failure");
        };
    }

    /// <summary>
    /// On Linux the backups are second names (hard links) of the earlier files: while the new files are being placed,
    /// every target not yet replaced still holds its earlier contents under its own name, so no moment of the commit
    /// (a crash included) leaves a target missing.
    /// </summary>
    [LinuxInodeFact]
    public void Commit_KeepsEveryTargetInPlace_UntilItsNewFileReplacesIt()
    {
        var (a, b, _, _) = Existing();
        var seen = new List<string>();
        Commit((from, to) =>
        {
            if (to == a || to == b) // a temporary about to be placed: both targets still exist, the other one still old
                seen.Add($"{Path.GetFileName(to)}: a={File.ReadAllText(a)}, b={File.ReadAllText(b)}");
        }, a, b);
        Assert.Equal(["a: a=old a, b=old b", "b: a=new a, b=old b"], seen);
        Assert.Equal("new a", File.ReadAllText(a));
        Assert.Equal("new b", File.ReadAllText(b));
        Assert.Equal(["a", "b"], _temp.Entries());
    }

    [Fact]
    public void Commit_WhoseSecondPlacementFails_PutsTheFirstBack()
    {
        var (a, b, _, before) = Existing();
        var e = Assert.Throws<IOException>(() => Commit(FailWhen((_, to) => to == b), a, b));
        Assert.Equal($"{b}: cannot write (injected failure).", e.Message);
        Assert.Equal(before, FileHashes.Of([a, b]));
        Assert.Equal(["a", "b"], _temp.Entries()); // no temporary, no backup
    }

    [Fact]
    public void Commit_WhoseSecondTargetCannotBeMovedAside_ReplacesNothing()
    {
        var (a, b, _, before) = Existing();
        var e = Assert.Throws<IOException>(() => Commit(FailWhen((from, _) => from == b), a, b));
        Assert.Equal($"{b}: cannot write (injected failure).", e.Message);
        Assert.Equal(before, FileHashes.Of([a, b]));
        Assert.Equal(["a", "b"], _temp.Entries());
    }

    [Fact]
    public void Commit_ThatFails_RemovesATargetThatDidNotExist()
    {
        var (a, b, c, before) = Existing();
        // c is placed first, then b fails: c was new, so it must be gone again, and a and b as they were.
        var e = Assert.Throws<IOException>(() => Commit(FailWhen((_, to) => to == b), c, a, b));
        Assert.Equal($"{b}: cannot write (injected failure).", e.Message);
        Assert.False(File.Exists(c));
        Assert.Equal(before, FileHashes.Of([a, b]));
        Assert.Equal(["a", "b"], _temp.Entries());
    }

    [Fact]
    public void Commit_WhoseTargetBecameAFolder_LeavesEveryTargetAsItWas()
    {
        var (a, b, _, before) = Existing();
        string folder = _temp.PathOf("d");
        var e = Assert.Throws<IOException>(() =>
        {
            using var batch = AtomicFile.BeginBatch();
            AtomicFile.WriteAllText(a, "new a");
            AtomicFile.WriteAllText(b, "new b");
            AtomicFile.WriteAllText(folder, "new d");
            Directory.CreateDirectory(folder); // after its write, before the commit: a rename cannot replace it
            File.WriteAllText(Path.Combine(folder, "kept"), "kept");
            batch.Commit();
        });
        Assert.Equal($"{folder}: cannot write: it is a folder, not a file.", e.Message);
        Assert.Equal(before, FileHashes.Of([a, b]));
        Assert.Equal("kept", File.ReadAllText(Path.Combine(folder, "kept")));
        Assert.Equal(["a", "b", "d"], _temp.Entries());
    }

    [Fact]
    public void Commit_WhosePutBackFailsToo_SaysWhereTheEarlierFileIsKept()
    {
        var (a, b, _, _) = Existing();
        string? backupOfA = null;
        bool placing = true;
        var e = Assert.Throws<IOException>(() => Commit((from, to) =>
        {
            if (from == a) backupOfA = to; // moving a aside
            if (placing && to == b)
            {
                placing = false;
                throw new IOException("injected failure");
            }
            if (from == backupOfA && to == a) throw new IOException("injected failure again");
        }, a, b));
        Assert.NotNull(backupOfA);
        Assert.Equal($"{b}: cannot write (injected failure). Putting {a} back failed too (injected failure again); its earlier contents are kept in {backupOfA}.", e.Message);
        Assert.Equal("old a", File.ReadAllText(backupOfA));
        Assert.Equal("old b", File.ReadAllText(b));
        Assert.Equal("new a", File.ReadAllText(a)); // the new file stays where putting back failed, beside the kept one
        Assert.Equal(new[] { "a", "b", Path.GetFileName(backupOfA) }.Order(), _temp.Entries());
    }

    [Fact]
    public void Commit_ThatSucceeds_LeavesExactlyTheNewFiles()
    {
        var (a, b, c, _) = Existing();
        var renames = new List<(string, string)>();
        Commit((from, to) => renames.Add((from, to)), a, b, c);
        Assert.Equal(["a", "b", "c"], _temp.Entries()); // no backup, no temporary
        Assert.Equal(["new a", "new b", "new c"], new[] { a, b, c }.Select(File.ReadAllText));
        // a and b were moved aside to hidden names beside them before anything was placed; c had nothing to move.
        Assert.Equal(5, renames.Count);
        Assert.Equal([a, b], renames.Take(2).Select(r => r.Item1));
        Assert.All(renames.Take(2), r => Assert.StartsWith(Path.Combine(_temp.Path, "."), r.Item2));
        Assert.Equal([a, b, c], renames.Skip(2).Select(r => r.Item2));
    }

    [ChattrFact]
    public void Commit_WithAnImmutableTarget_ReplacesNone_AndBlamesTheFile()
    {
        var (a, b, c, before) = Existing();
        IOException e;
        using (Chattr.Immutable(b))
        {
            e = Assert.Throws<IOException>(() => Commit((_, _) => { }, c, a, b));
            Assert.Equal(before, FileHashes.Of([a, b]));
        }
        Assert.Equal($"{b}: cannot replace it (permission denied: the file itself is marked immutable, chattr +i).", e.Message);
        Assert.Equal(["a", "b"], _temp.Entries());
    }
}
