namespace SharpGrad.IO;

/// <summary>
/// Writes a file through a temporary sibling that is renamed over the target only when complete, so a crash or a
/// full disk never leaves a half-written file under the real name, and a failure leaves nothing behind.
/// A symbolic link is followed to its final target, which is replaced; the link stays. A target that is not a
/// regular file (a character or block device such as <c>/dev/null</c>, a FIFO, a socket) is never renamed over:
/// it is opened and written directly, and a write error (<c>/dev/full</c>'s "no space left") is reported. This
/// process's standard output or error, by any name (<c>/dev/stdout</c>, or the file a shell redirected it to), is
/// written through the stream, at its offset (<see cref="StandardStreams"/>).
/// Files that belong together (a model and its optimizer state) are written as one with <see cref="BeginBatch"/>.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes the file with <paramref name="write"/>, atomically when the target is a regular file.</summary>
    /// <param name="path">The file to create or replace, a symbolic link to it, or a device or FIFO to write into.</param>
    /// <param name="write">Writes the contents to the stream it is given.</param>
    /// <exception cref="ArgumentException">The path is empty.</exception>
    /// <exception cref="IOException">The file cannot be written; the message names <paramref name="path"/> (never the temporary file) and the reason.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(write);
        if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException("The output path is empty.");
        string full = FullPath(path);
        if (StandardStreams.Of(full) is { } standard)
        {
            StandardStreams.Write(path, standard, write); // at once, also inside a batch
            return;
        }
        // Classified through the path itself, links followed by the kernel: a link such as /dev/stdout ends in
        // /proc/self/fd/1, whose target ("pipe:[…]") is no path at all, yet opening the link reaches the pipe. Only a
        // regular (or missing) file needs its final target, for the rename.
        switch (FileKinds.Of(full))
        {
            case FileKind.Directory:
                throw new IOException($"{path}: cannot write: it is a folder, not a file.");
            case FileKind.Special:
                WriteInPlace(path, full, write);
                return;
            default:
                // "out/" names a folder: without this, the file would be looked for in a folder "out" (or land in it).
                if (Path.EndsInDirectorySeparator(path))
                    throw new IOException($"{path}: cannot write: the name ends with '{path[^1]}', so it names a folder, not a file.");
                string target = FinalTarget(path, full);
                string temporary = WriteTemporary(path, target, write);
                if (Batch.Current is { } batch) batch.Add(path, temporary, target);
                else Rename(path, temporary, target);
                return;
        }
    }

    /// <summary>
    /// <see cref="Path.GetFullPath(string)"/>, whose error for a relative path when the current folder has been deleted
    /// ("Unable to find the specified file.") names neither the path nor the cause.
    /// </summary>
    private static string FullPath(string path)
    {
        try
        {
            return Path.GetFullPath(path);
        }
        catch (IOException e) when (!Path.IsPathRooted(path))
        {
            throw new IOException($"{path}: cannot write: {CurrentFolderGone}.", e);
        }
    }

    /// <summary>Why a relative path cannot be resolved when the current folder has been deleted.</summary>
    internal const string CurrentFolderGone = "the current folder no longer exists (it was deleted), so a relative path leads nowhere; change to a folder that exists or give an absolute path";

    /// <summary>
    /// The path with every symbolic link followed (the link itself must survive the write). A path whose folder does
    /// not exist is resolved too: a loop of links in the folder is then named as such, not taken for a missing folder.
    /// </summary>
    private static string FinalTarget(string path, string full)
    {
        if (!CanonicalPath.IsLink(full) && Directory.Exists(Path.GetDirectoryName(full))) return full;
        try
        {
            return CanonicalPath.Of(path);
        }
        catch (IOException e) // a loop of links; the message starts with the path
        {
            string reason = e.Message.StartsWith(path + ": ", StringComparison.Ordinal) ? e.Message[(path.Length + 2)..] : e.Message;
            throw new IOException($"{path}: cannot write: {reason}", e);
        }
    }

    /// <summary>Writes the contents into a new temporary file beside <paramref name="target"/> and returns its path.</summary>
    private static string WriteTemporary(string path, string target, Action<Stream> write)
    {
        string directory = Path.GetDirectoryName(target) ?? ".";
        if (!Directory.Exists(directory)) throw new IOException($"{path}: cannot write: {OutputFolders.WhyMissing(directory)}.");
        // Same folder as the target, so the rename never crosses a file system.
        string temporary = TemporaryPath(target);
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            return temporary;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            throw Failure(path, temporary, target, e);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>Renames the complete temporary file over the target, deleting it if that fails.</summary>
    private static void Rename(string path, string temporary, string target)
    {
        try
        {
            File.Move(temporary, target, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            throw Failure(path, temporary, target, e, replacing: true);
        }
    }

    /// <summary>
    /// The error of a failed write or rename: it names the caller's path and the reason, never the temporary (or
    /// backup) file <paramref name="temporary"/>. A permission denied while <paramref name="replacing"/> an existing
    /// target, in a folder that took the temporary file, is the file's own doing, not the folder's: see <see cref="WhyNotReplaceable"/>.
    /// </summary>
    private static IOException Failure(string path, string temporary, string target, Exception e, bool replacing = false)
    {
        if (replacing && e is UnauthorizedAccessException && WhyNotReplaceable(target, e) is { } why)
            return new IOException($"{path}: cannot replace it (permission denied: {why}).", e);
        string reason = e switch
        {
            UnauthorizedAccessException => $"permission denied in {Path.GetDirectoryName(target) ?? "."}",
            PathTooLongException => TooLong(target),
            _ => e.Message.Replace(temporary, target, StringComparison.Ordinal),
        };
        return new IOException($"{path}: cannot write ({reason}).", e);
    }

    /// <summary>
    /// Why an existing <paramref name="target"/> may not be renamed over (or aside) although its folder took a new
    /// file: the file is immutable or append-only, or it belongs to another user in a folder with the sticky bit, or
    /// else (the system does not say) the file itself may not be changed. Null when the folder is to blame after all:
    /// the kernel said EACCES (no write permission in the folder), or the folder is itself immutable or append-only.
    /// </summary>
    private static string? WhyNotReplaceable(string target, Exception e)
    {
        string folder = Path.GetDirectoryName(target) ?? ".";
        if (e.InnerException?.HResult == UnixStatus.PermissionDenied) return null; // .NET keeps the errno there
        if (UnixStatus.Lock(folder) is FileLock.Immutable or FileLock.AppendOnly) return null;
        if (UnixStatus.MayReplaceInStickyFolder(target) == false)
            return $"it belongs to another user, and in {folder}, a shared folder with the sticky bit, only its owner may replace it";
        return UnixStatus.Lock(target) is (FileLock.Immutable or FileLock.AppendOnly) and var locked
            ? $"the file itself is marked {UnixStatus.Name(locked)}, chattr +{UnixStatus.Flag(locked)}"
            : "the file itself may not be changed";
    }

    /// <summary>The most a name can have on the usual file systems (ext4, XFS, Btrfs, tmpfs, APFS, NTFS), in <see cref="NameUnit"/>.</summary>
    internal const int MaxNameLength = 255;

    /// <summary>The most a temporary name has beyond the target's name when that is short (".", "." before the id, 32 hex digits, ".tmp").</summary>
    internal const int ShortNameRoom = 64;

    /// <summary>
    /// The most a whole path can have (in <see cref="NameUnit"/>) where the system sets one limit for every file
    /// system: Linux's PATH_MAX (4,096 bytes with the final zero), macOS's (1,024); null elsewhere.
    /// </summary>
    internal static int? MaxPathLength => OperatingSystem.IsLinux() ? 4095 : OperatingSystem.IsMacOS() ? 1023 : null;

    /// <summary>
    /// A new temporary path beside <paramref name="target"/>: ".NAME.ID.tmp", with NAME shortened so that the temporary
    /// name is no longer than the target's own (or <see cref="ShortNameRoom"/> for a short name), and never shorter: a
    /// target whose name is near the file system's limit stays writable (".NAME.ID.tmp" in full would pass the limit),
    /// and a folder that accepts a temporary name accepts the target's.
    /// </summary>
    internal static string TemporaryPath(string target)
    {
        string name = Path.GetFileName(target);
        string id = $".{Guid.NewGuid():N}.tmp";
        int room = Math.Max(NameLength(name), ShortNameRoom) - 1 - NameLength(id);
        string kept = name;
        while (NameLength(kept) > room)
        {
            kept = kept[..^1];
            if (kept.Length > 0 && char.IsHighSurrogate(kept[^1])) kept = kept[..^1]; // never half a character
        }
        return Path.Combine(Path.GetDirectoryName(target) ?? ".", "." + kept + id);
    }

    /// <summary>How file systems measure a name against their limit: UTF-8 bytes on Unix, UTF-16 code units on Windows.</summary>
    internal static int NameLength(string name) =>
        OperatingSystem.IsWindows() ? name.Length : System.Text.Encoding.UTF8.GetByteCount(name);

    /// <summary>What <see cref="NameLength"/> counts.</summary>
    internal static string NameUnit => OperatingSystem.IsWindows() ? "characters" : "bytes";

    /// <summary>Why the file system called <paramref name="target"/> too long: its name, or else the whole path.</summary>
    internal static string TooLong(string target)
    {
        int name = NameLength(Path.GetFileName(target));
        return name > MaxNameLength
            ? $"its name is {name} {NameUnit} long, more than the {MaxNameLength} a file name can have"
            : $"the name or the path is too long for this file system ({name} {NameUnit} in the name, {NameLength(target)} in the path)";
    }

    /// <summary>Devices and FIFOs are written as they are: no temporary file, no rename, no truncation.</summary>
    private static void WriteInPlace(string path, string target, Action<Stream> write)
    {
        try
        {
            using var stream = new FileStream(target, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1 << 16);
            write(stream);
            stream.Flush(); // fsync is meaningless (and refused) on a device; a failed write surfaces here
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            string reason = e is UnauthorizedAccessException ? "permission denied" : e.Message;
            throw new IOException($"{path}: cannot write ({reason}).", e);
        }
    }

    /// <summary>Writes <paramref name="bytes"/> atomically.</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="bytes">The contents.</param>
    public static void WriteAllBytes(string path, byte[] bytes) => Write(path, stream => stream.Write(bytes));

    /// <summary>Writes <paramref name="text"/> as UTF-8 without a byte-order mark, atomically.</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="text">The contents.</param>
    public static void WriteAllText(string path, string text) => WriteAllBytes(path, new System.Text.UTF8Encoding(false).GetBytes(text));

    /// <summary>
    /// Opens a batch on the calling thread: until it is committed or disposed, every <see cref="Write"/> to a regular
    /// file leaves its complete temporary file beside the target instead of renaming it.
    /// </summary>
    /// <exception cref="InvalidOperationException">A batch is already open on this thread.</exception>
    internal static Batch BeginBatch() => new();

    /// <summary>
    /// Files written together, all or none: every write leaves a complete temporary file, and <see cref="Commit"/>
    /// puts them all into place or none. Disposing an uncommitted batch deletes the temporaries, so a write that fails
    /// part-way leaves every target as it was. Devices, FIFOs and the standard streams are written in place at once.
    /// </summary>
    internal sealed class Batch : IDisposable
    {
        [ThreadStatic] private static Batch? t_current;

        private readonly List<(string Path, string Temporary, string Target)> _files = [];

        internal Batch()
        {
            if (t_current is not null) throw new InvalidOperationException("An AtomicFile batch is already open on this thread.");
            t_current = this;
        }

        /// <summary>The batch open on the calling thread, if any.</summary>
        internal static Batch? Current => t_current;

        /// <summary>
        /// For tests: called before each rename <see cref="Commit"/> makes, with its source and destination (a target
        /// moved aside, a temporary put into place, a backup put back); an exception it throws stands for that rename failing.
        /// </summary>
        internal Action<string, string>? BeforeRename { get; set; }

        internal void Add(string path, string temporary, string target) => _files.Add((path, temporary, target));

        /// <summary>
        /// Puts every file written in the batch into place, all or none, and closes the batch. First each existing
        /// target is kept under a hidden backup name beside it (named as temporaries are, <see cref="TemporaryPath"/>):
        /// a hard link on Linux, so the target itself stays as it was, else a rename. Then each temporary is renamed to
        /// its target, and only then are the backups deleted. If any step fails, everything is put back: the files
        /// already placed are removed (a target that did not exist is gone again), the backups are renamed back, and the
        /// temporaries are deleted. Each rename is atomic, so a crash at any moment leaves every target whole, with its
        /// earlier or its new contents (and, where a rename fell back to moving a target aside, that earlier file under
        /// its backup name).
        /// </summary>
        /// <exception cref="IOException">
        /// A target is a folder now, or a rename failed; the message names the file (as its writer gave it) and why, and,
        /// should putting an earlier file back fail too, where that file's contents are kept.
        /// </exception>
        public void Commit()
        {
            Close();
            var files = _files.ToArray();
            _files.Clear();
            var backups = new string?[files.Length];
            var linked = new bool[files.Length]; // the backup is a second name: the target still holds its earlier file
            int placed = 0;
            try
            {
                // A target that became a folder since it was written would be moved aside whole: refuse it first.
                foreach (var (path, _, target) in files)
                {
                    if (FileKinds.Of(target) == FileKind.Directory)
                        throw new BatchFailure(new IOException($"{path}: cannot write: it is a folder, not a file."));
                }
                for (int i = 0; i < files.Length; i++)
                {
                    var (path, _, target) = files[i];
                    if (FileKinds.Of(target) == FileKind.Missing) continue;
                    string backup = TemporaryPath(target);
                    int index = i;
                    Try(() => linked[index] = SetAside(target, backup), path, backup, target);
                    backups[i] = backup;
                }
                for (; placed < files.Length; placed++)
                {
                    var (path, temporary, target) = files[placed];
                    Try(() => Move(temporary, target), path, temporary, target);
                }
            }
            catch (BatchFailure failure)
            {
                string kept = PutBack(files, backups, linked, placed);
                foreach (var file in files.Skip(placed)) TryDelete(file.Temporary);
                throw kept.Length == 0 ? failure.Error : new IOException(failure.Error.Message + kept, failure.Error);
            }
            foreach (string? backup in backups)
            {
                if (backup is not null) TryDelete(backup);
            }
        }

        /// <summary>Runs one of the commit's renames, turning its failure into the error naming <paramref name="path"/>.</summary>
        private static void Try(Action rename, string path, string from, string target)
        {
            try
            {
                rename();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new BatchFailure(Failure(path, from, target, e, replacing: true));
            }
        }

        /// <summary>
        /// Keeps the earlier file under <paramref name="backup"/>: as a second name (hard link) where possible, so the
        /// target keeps its earlier contents until its new file is renamed over it, else by renaming it aside.
        /// </summary>
        /// <returns>Whether the backup is a hard link (the target is still there).</returns>
        private bool SetAside(string target, string backup)
        {
            BeforeRename?.Invoke(target, backup);
            if (UnixStatus.TryHardLink(target, backup)) return true;
            // overwrite: true is a plain rename (the backup name is new); without it .NET links, or copies then deletes
            // where it cannot link, which leaves a copy of a file that may not be removed (an immutable one).
            File.Move(target, backup, overwrite: true);
            return false;
        }

        private void Move(string from, string to)
        {
            BeforeRename?.Invoke(from, to);
            File.Move(from, to, overwrite: true);
        }

        /// <summary>
        /// Undoes a failed commit: the first <paramref name="placed"/> targets hold new files, which are removed (or
        /// replaced by their backups in one rename), and every other backup is renamed back. Returns, for the error
        /// message, what could not be undone (where the earlier contents are kept), or "" when all was.
        /// </summary>
        private string PutBack((string Path, string Temporary, string Target)[] files, string?[] backups, bool[] linked, int placed)
        {
            var kept = new System.Text.StringBuilder();
            for (int i = 0; i < files.Length; i++)
            {
                var (path, _, target) = files[i];
                try
                {
                    // A target not yet replaced that kept its file (backup linked) needs only its backup name removed:
                    // renaming one name of a file over another of the same file changes nothing.
                    if (backups[i] is { } backup && i >= placed && linked[i]) File.Delete(backup);
                    else if (backups[i] is { } earlier) Move(earlier, target);
                    else if (i < placed) File.Delete(target);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    kept.Append(backups[i] is { } backup
                        ? $" Putting {path} back failed too ({e.Message}); its earlier contents are kept in {backup}."
                        : $" Removing the new {path} failed too ({e.Message}).");
                }
            }
            return kept.ToString();
        }

        /// <summary>Closes the batch; the temporary files of an uncommitted one are deleted.</summary>
        public void Dispose()
        {
            Close();
            foreach (var file in _files) TryDelete(file.Temporary);
            _files.Clear();
        }

        private void Close()
        {
            if (ReferenceEquals(t_current, this)) t_current = null;
        }

        /// <summary>A failed step of <see cref="Commit"/>, carrying the error to report once everything is put back.</summary>
        private sealed class BatchFailure(IOException error) : Exception(error.Message, error)
        {
            public IOException Error { get; } = error;
        }
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
