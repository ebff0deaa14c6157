using SharpGrad.IO;

namespace SharpGrad.Cli;

/// <summary>Checks, before any long work, that an output path can be written, with errors naming the user's path.</summary>
internal static class OutputPaths
{
    /// <summary>
    /// The file's folder must exist and be writable, and the path must not be a folder (nor end with a separator, as a
    /// folder's name may), nor a device, FIFO or socket (a device such as a full disk fails only at the end; a FIFO
    /// without a reader blocks forever). A part of the folder that is a file is named as such.
    /// </summary>
    /// <param name="path">The file, as the user gave it.</param>
    /// <param name="option">The option that names it, e.g. "--save".</param>
    /// <param name="createdBy">
    /// A folder output of the same run (--report), checked with <see cref="CheckDirectory(string, string)"/> and
    /// created before this file is written: the file's folder may be missing if creating that folder creates it
    /// (<see cref="Creates"/>), as in <c>--save rep/m.safetensors --report rep</c>.
    /// </param>
    /// <param name="devices">
    /// Whether an existing device, FIFO or socket, or this process's standard output or error by any name, is taken as
    /// it is, to be written into (calc's <c>--svg /dev/stdout</c>), instead of refused.
    /// </param>
    /// <param name="target">
    /// The path with its links followed, when the caller already has it from <see cref="Canonical"/> (as
    /// <see cref="CheckDistinct"/> returns it), so it is not resolved, nor the current folder checked, again; null to do both here.
    /// </param>
    /// <returns>The path with its links followed (<see cref="Canonical"/>), for the caller's further checks.</returns>
    public static string CheckFile(string path, string option, string? createdBy = null, bool devices = false, string? target = null)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException($"{option} needs a file name.");
        // calc reads "-" as standard output; elsewhere it would quietly become a file named "-".
        if (!devices && path == "-")
            throw new ArgumentException($"{option} -: this command cannot write its file to standard output; give a file name (./- for a file named '-').");
        CheckDecoded(path, option);
        if (target is null) CheckCurrentFolder(path, option); // once: Canonical checked it for a target given, Resolve below does not
        if (SharpGrad.IO.StandardStreams.Of(path) is { } stream)
        {
            // Written through the stream, wherever the shell sent it: no folder to probe, nothing renamed over.
            if (devices) return target ?? Resolve(path, option);
            throw new ArgumentException($"{option} {path}: is this command's {SharpGrad.IO.StandardStreams.Name(stream)}, where it prints its own messages; give a file name instead.");
        }
        FileKind kind = FileKinds.Of(Path.GetFullPath(path)); // links followed: the kind of the file a link leads to
        if (devices && kind == FileKind.Special) return target ?? Resolve(path, option);
        CheckWritableFile(kind, path, option, $"{option} {path}: is a folder, not a file.");
        if (Path.EndsInDirectorySeparator(path))
            throw new ArgumentException($"{option} {path}: the name ends with '{path[^1]}', so it names a folder, not a file.");
        // The folder the file really lands in: a link's target may live elsewhere (or nowhere).
        target ??= Resolve(path, option);
        string folder = Path.GetDirectoryName(target) ?? ".";
        bool folderExists = Directory.Exists(folder);
        if (!folderExists && (createdBy is null || !Creates(createdBy, folder)))
            throw new ArgumentException($"{option} {path}: {OutputFolders.WhyMissing(folder)}.");
        CheckNameLength(Path.GetFileName(target), path, option, "its name");
        if (!folderExists) return target; // the folder output's own check probes where the folder will be created
        // A temporary file as AtomicFile will make it: a folder that takes it takes the file's name and path too.
        Probe(folder, path, option, AtomicFile.TemporaryPath(target), target);
        CheckReplaceable(kind, target, path, option);
        return target;
    }

    /// <summary>
    /// An existing file the folder's probe cannot speak for: in a folder with the sticky bit (as /tmp) only its owner
    /// (or the folder's, or root) may replace it, and a file marked immutable or append-only (<c>chattr +i</c>,
    /// <c>+a</c>) no one may. The folder takes new files, so the probe passes, and the rename would fail only after the
    /// long work. <paramref name="kind"/> is what the target is, as the caller has already classified it.
    /// </summary>
    private static void CheckReplaceable(FileKind kind, string target, string path, string option)
    {
        if (kind != FileKind.Regular) return;
        if (UnixStatus.MayReplaceInStickyFolder(target) == false)
            throw new ArgumentException($"{option} {path}: it belongs to another user, and in {Path.GetDirectoryName(target)} (a shared folder with the sticky bit, as /tmp) only its owner may replace it; give another name.");
        if (UnixStatus.Lock(target) is (FileLock.Immutable or FileLock.AppendOnly) and var locked)
        {
            char flag = UnixStatus.Flag(locked);
            throw new ArgumentException($"{option} {path}: the file is {UnixStatus.Name(locked)} (chattr +{flag}), so not even root may replace it; clear that with chattr -{flag} or give another name.");
        }
    }

    /// <summary>
    /// On Unix a path is bytes, and .NET decodes the command line as UTF-8, replacing bytes that are not UTF-8 with
    /// U+FFFD: such a path would be written under another name than the one given, silently. Refuse it.
    /// </summary>
    private static void CheckDecoded(string path, string option)
    {
        if (!OperatingSystem.IsWindows() && path.Contains('\uFFFD'))
            throw new ArgumentException($"{option} {path}: the name holds bytes that are not UTF-8 (shown as \uFFFD), which reach the program replaced, so the file would get another name; use a UTF-8 name.");
    }

    /// <summary>A relative path needs the current folder, which may have been deleted since the shell entered it.</summary>
    private static void CheckCurrentFolder(string path, string option)
    {
        if (Path.IsPathRooted(path)) return;
        try
        {
            Directory.GetCurrentDirectory();
        }
        catch (IOException e)
        {
            throw new ArgumentException($"{option} {path}: {AtomicFile.CurrentFolderGone}.", e);
        }
    }

    /// <summary>A name longer than file systems allow fails only when written, after the long work: refuse it now.</summary>
    private static void CheckNameLength(string name, string path, string option, string what)
    {
        int length = AtomicFile.NameLength(name);
        if (length > AtomicFile.MaxNameLength)
            throw new ArgumentException($"{option} {path}: {what} is {length} {AtomicFile.NameUnit} long, more than the {AtomicFile.MaxNameLength} a file or folder name can have.");
    }

    /// <summary>
    /// Whether creating the folder <paramref name="folderOutput"/> with its missing parents (as --report does) creates
    /// <paramref name="folder"/>: it is that folder or one of its parents, once symbolic links are followed.
    /// </summary>
    /// <param name="folderOutput">The folder output, as the user gave it.</param>
    /// <param name="folder">A folder, links already followed (<see cref="CanonicalPath.Of"/>).</param>
    public static bool Creates(string folderOutput, string folder)
    {
        string created;
        try
        {
            created = CanonicalPath.Of(folderOutput);
        }
        catch (IOException) // a loop: it creates nothing, and its own check says why
        {
            return false;
        }
        return string.Equals(created, folder, CanonicalPath.Comparison)
            || created.StartsWith(Path.TrimEndingDirectorySeparator(folder) + Path.DirectorySeparatorChar, CanonicalPath.Comparison);
    }

    /// <summary>
    /// The folder must exist or be creatable, and be writable, and the path must not be a file. Nothing is created
    /// here (the report creates its folder when it is written), so a run that fails or is interrupted leaves no empty folder.
    /// </summary>
    public static void CheckDirectory(string path, string option)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException($"{option} needs a folder name.");
        CheckDecoded(path, option);
        CheckCurrentFolder(path, option);
        string full = Path.GetFullPath(path);
        if (DanglingLinkTarget(full) is { } missing)
            throw new ArgumentException($"{option} {path}: is a symbolic link to {missing}, which does not exist; create that folder or give another path.");
        if (File.Exists(full)) throw new ArgumentException($"{option} {path}: is a file, not a folder.");
        foreach (string part in full.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
            CheckNameLength(part, path, option, "a folder name in it");
        // A file in the folder (the temporary one AtomicFile writes first) must still be a path the system takes.
        int length = AtomicFile.NameLength(full);
        if (AtomicFile.MaxPathLength is int max && length + 1 + AtomicFile.ShortNameRoom > max)
            throw new ArgumentException($"{option} {path}: its path is {length} {AtomicFile.NameUnit} long, too long to write files in (a path can have at most {max}).");
        // The nearest part of the path that exists must be a folder we can write in.
        string existing = full;
        while (!Directory.Exists(existing))
        {
            if (DanglingLinkTarget(existing) is { } nowhere)
                throw new ArgumentException($"{option} {path}: the folder cannot be created ({existing} is a symbolic link to {nowhere}, which does not exist).");
            if (File.Exists(existing))
                throw new ArgumentException($"{option} {path}: the folder cannot be created ({existing} is a file).");
            existing = Path.GetDirectoryName(existing) ?? throw new ArgumentException($"{option} {path}: the folder cannot be created (no part of the path exists).");
        }
        Probe(existing, path, option);
    }

    /// <summary>
    /// <see cref="CheckDirectory(string, string)"/>, and none of the files the folder will receive may already be a
    /// folder, device, FIFO or socket (it exists, so writing would fail or block only after the long work). One that is
    /// a symbolic link is checked as <see cref="CheckFile"/> checks a file: its target may lie in a missing or
    /// read-only folder.
    /// </summary>
    public static void CheckDirectory(string path, string option, IEnumerable<string> fileNames)
    {
        CheckDirectory(path, option);
        string folder = Path.GetFullPath(path);
        foreach (string name in fileNames)
        {
            string file = Path.Combine(folder, name), shown = Path.Combine(path, name), fileOption = Messages.FileOf(option, name);
            FileKind kind = FileKinds.Of(file);
            CheckWritableFile(kind, shown, fileOption, $"{option} {path}: {shown} is a folder, not a file, so {name} cannot be written there.");
            if (CanonicalPath.IsLink(file)) CheckFile(shown, fileOption);
            else CheckReplaceable(kind, file, shown, fileOption);
        }
    }

    /// <summary>Where the symbolic link <paramref name="full"/> leads when nothing is there (links followed), else null.</summary>
    private static string? DanglingLinkTarget(string full)
    {
        if (!CanonicalPath.IsLink(full) || FileKinds.Of(full) != FileKind.Missing) return null;
        try
        {
            return CanonicalPath.Of(full);
        }
        catch (IOException) // a loop: not a missing target
        {
            return null;
        }
    }

    /// <summary>
    /// An existing target (or the final target of a link) must be a regular file: a folder is refused with
    /// <paramref name="folderMessage"/>, a device, FIFO or socket with a message naming <paramref name="option"/>.
    /// <paramref name="kind"/> is what the path is, links followed (<see cref="FileKinds.Of"/>), as the caller classified it.
    /// </summary>
    private static void CheckWritableFile(FileKind kind, string path, string option, string folderMessage)
    {
        switch (kind)
        {
            case FileKind.Directory:
                throw new ArgumentException(folderMessage);
            case FileKind.Special:
                throw new ArgumentException($"{option} {path}: is a device, FIFO or socket, not a regular file; give the name of a file to write.");
        }
    }

    /// <summary>
    /// Runs a write, putting <paramref name="option"/> before the I/O error's message (which names the file, as
    /// AtomicFile's do, or gets the path added), so a failure after the long work says which option's file it was.
    /// </summary>
    public static void Writing(string option, string path, Action write)
    {
        try
        {
            write();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            string message = e.Message;
            throw new IOException(message.StartsWith(path + ":", StringComparison.Ordinal) ? $"{option} {message}" : $"{option} {path}: {message}", e);
        }
    }

    /// <summary>An output: the option that names it, the path as given, and whether it is a folder.</summary>
    public readonly record struct Output(string Option, string Path, bool IsFolder = false);

    /// <summary>
    /// No two outputs may name the same file (the later one would silently replace the earlier), and no file may
    /// stand where a folder output or one of its parents must be. Paths are compared after following symbolic links
    /// (<see cref="CanonicalPath"/>), so a link cannot smuggle two outputs onto one file.
    /// </summary>
    /// <param name="outputs">The outputs.</param>
    /// <param name="canonical">Each output's path with its links followed, when the caller has them (<see cref="CheckFile"/>'s results); null to resolve them here.</param>
    /// <returns>Each output's path with its links followed, in the order of <paramref name="outputs"/>, for further checks.</returns>
    public static IReadOnlyList<string> CheckDistinct(IReadOnlyList<Output> outputs, IReadOnlyList<string>? canonical = null)
    {
        canonical ??= [.. outputs.Select(o => Canonical(o.Path, o.Option))];
        var comparison = CanonicalPath.Comparison;
        for (int i = 0; i < outputs.Count; i++)
        {
            for (int j = i + 1; j < outputs.Count; j++)
            {
                Output a = outputs[i], b = outputs[j];
                if (string.Equals(canonical[i], canonical[j], comparison))
                    throw new ArgumentException(SameFileMessage(a.Option, a.Path, b.Option, b.Path, "one would replace the other"));
                var (file, folder, fullFile, fullFolder) = a.IsFolder ? (b, a, canonical[j], canonical[i]) : (a, b, canonical[i], canonical[j]);
                if (!file.IsFolder && folder.IsFolder && fullFolder.StartsWith(fullFile + System.IO.Path.DirectorySeparatorChar, comparison))
                    throw new ArgumentException($"{folder.Option} {folder.Path} is inside {file.Path}, which {file.Option} writes as a file; give them different paths.");
            }
        }
        return canonical;
    }

    /// <summary>
    /// <paramref name="path"/> with every symbolic link followed (<see cref="CanonicalPath.Of"/>); a loop of links is
    /// refused naming <paramref name="option"/>, the path and the folder that is the loop.
    /// </summary>
    /// <exception cref="ArgumentException">The path runs into a loop of symbolic links.</exception>
    public static string Canonical(string path, string option)
    {
        CheckCurrentFolder(path, option);
        return Resolve(path, option);
    }

    /// <summary><see cref="Canonical"/> for a caller that has already checked the current folder.</summary>
    private static string Resolve(string path, string option)
    {
        try
        {
            return CanonicalPath.Of(path);
        }
        catch (IOException e) // the message starts with the path
        {
            throw new ArgumentException($"{option} {e.Message}", e);
        }
    }

    /// <summary>
    /// "A and B both name P", or, when the paths differ as written (a symbolic link, "..", a relative and an absolute
    /// spelling), "A P and B Q are the same file": a reader should see why two different names collide. For
    /// <see cref="Sameness.OtherName"/> (one file under two names, which only its device and inode tell) the message
    /// says so and leaves <paramref name="consequence"/> out: a rename over a hard link replaces that name only.
    /// </summary>
    public static string SameFileMessage(string optionA, string pathA, string optionB, string pathB, string consequence, Sameness how = Sameness.ThroughLink) =>
        how == Sameness.OtherName
            ? $"{optionA} {pathA} and {optionB} {pathB} are one file under two names ({OtherNames}); give them different paths."
            : string.Equals(Path.GetFullPath(pathA), Path.GetFullPath(pathB), CanonicalPath.Comparison)
                ? $"{optionA} and {optionB} both name {pathB}; give them different paths ({consequence})."
                : $"{optionA} {pathA} and {optionB} {pathB} are the same file ({CanonicalPath.Of(pathB)}, through a symbolic link); give them different paths ({consequence}).";

    /// <summary>What can make two paths whose links lead to different places one file, for the messages.</summary>
    public const string OtherNames = "a hard link, or one folder reached by two paths";

    /// <summary>How two paths name one file, from the plainest to the least visible way.</summary>
    public enum Sameness
    {
        /// <summary>Two different files (or a file still to be created, which is no other).</summary>
        Different,
        /// <summary>The same path once made absolute ("a/../b" and "b" too).</summary>
        SameName,
        /// <summary>The same path once symbolic links are followed.</summary>
        ThroughLink,
        /// <summary>Two places of one existing file: the same device and inode (a hard link, a folder mounted twice).</summary>
        OtherName,
    }

    /// <summary>
    /// Whether <paramref name="pathA"/> and <paramref name="pathB"/> are one file, and how: by their canonical paths
    /// (<see cref="Canonical"/>, passed in as the callers have them), then, where the kernel tells it, by device and inode.
    /// </summary>
    public static Sameness Compare(string pathA, string canonicalA, string pathB, string canonicalB)
    {
        if (string.Equals(canonicalA, canonicalB, CanonicalPath.Comparison))
            return string.Equals(Path.GetFullPath(pathA), Path.GetFullPath(pathB), CanonicalPath.Comparison) ? Sameness.SameName : Sameness.ThroughLink;
        return UnixStatus.Identity(canonicalA) is { } a && UnixStatus.Identity(canonicalB) is { } b && a == b ? Sameness.OtherName : Sameness.Different;
    }

    /// <summary>A file the command reads: the option it comes from and its path (the option's own, or a file in its folder).</summary>
    public readonly record struct Input(string Option, string Path);

    /// <summary>
    /// No file output may land on a file the command reads (<paramref name="inputs"/>): the write would replace what is
    /// being read, losing it. Landing is as <see cref="Compare"/> tells: by name, through a symbolic link, or, where the
    /// kernel tells it, on the same device and inode.
    /// </summary>
    /// <param name="inputs">The files read, each existing.</param>
    /// <param name="outputs">The outputs.</param>
    /// <param name="landing">Each output's canonical path (<see cref="CheckDistinct"/>).</param>
    /// <exception cref="ArgumentException">An output lands on an input; the message names both options and paths.</exception>
    public static void CheckSparesInputs(IReadOnlyList<Input> inputs, IReadOnlyList<Output> outputs, IReadOnlyList<string> landing)
    {
        foreach (Input input in inputs)
        {
            string read = Canonical(input.Path, input.Option);
            for (int i = 0; i < outputs.Count; i++)
            {
                Output output = outputs[i];
                if (output.IsFolder) continue; // a folder output is refused where a file stands, and writes only its own files
                Sameness how = Compare(output.Path, landing[i], input.Path, read);
                if (how != Sameness.Different) throw new ArgumentException(LandsOnInputMessage(output, input, read, how));
            }
        }
    }

    /// <summary>
    /// No file output may land on a name a folder input's loader looks for (<paramref name="lookups"/>), even where no
    /// file is yet: the loader takes the first of a file's names that exists, so an output under an earlier name than
    /// the file it reads now would shadow that file (the next run reads the model as data), and one under another name
    /// would be read as data once the file before it is gone. The file read now is <see cref="CheckSparesInputs"/>'s to refuse.
    /// </summary>
    /// <param name="option">The input's option, e.g. "--data".</param>
    /// <param name="lookups">Per file the loader reads, its candidate paths, most preferred first.</param>
    /// <param name="outputs">The outputs.</param>
    /// <param name="landing">Each output's canonical path (<see cref="CheckDistinct"/>).</param>
    /// <exception cref="ArgumentException">An output lands on a candidate name; the message names the option, the path and the file it would shadow.</exception>
    public static void CheckSparesLookups(string option, IReadOnlyList<IReadOnlyList<string>> lookups, IReadOnlyList<Output> outputs, IReadOnlyList<string> landing)
    {
        foreach (var candidates in lookups)
        {
            int read = -1;
            for (int k = 0; k < candidates.Count && read < 0; k++)
            {
                if (File.Exists(candidates[k])) read = k;
            }
            for (int k = 0; k < candidates.Count; k++)
            {
                if (k == read) continue;
                string name = Canonical(candidates[k], option);
                for (int i = 0; i < outputs.Count; i++)
                {
                    Output output = outputs[i];
                    if (output.IsFolder) continue;
                    Sameness how = Compare(output.Path, landing[i], candidates[k], name);
                    if (how == Sameness.Different) continue;
                    string what = how == Sameness.SameName
                        ? $"{output.Option} {output.Path} is a name {option}'s loader"
                        : $"{output.Option} {output.Path} is {candidates[k]} (through a symbolic link, both are {name}), a name {option}'s loader";
                    throw new ArgumentException(read > k
                        ? $"{what} reads (before {Path.GetFileName(candidates[read])}); writing there would shadow the data. Give {output.Option} another path."
                        : $"{what} looks for (for {Path.GetFileName(candidates[0])}); a file written there would be taken for the data. Give {output.Option} another path.");
                }
            }
        }
    }

    /// <summary>"--save P is one of the files --data reads", or names the input's path too when the output reaches it under another spelling.</summary>
    private static string LandsOnInputMessage(Output output, Input input, string canonical, Sameness how) => how switch
    {
        Sameness.SameName => $"{output.Option} {output.Path} is one of the files {input.Option} reads; writing there would destroy it. Give {output.Option} another path.",
        Sameness.ThroughLink => $"{output.Option} {output.Path} is the {input.Option} file {input.Path} (through a symbolic link, both are {canonical}); writing there would destroy it. Give {output.Option} another path.",
        _ => $"{output.Option} {output.Path} is the {input.Option} file {input.Path} under another name ({OtherNames}). Give {output.Option} another path.",
    };

    /// <summary>
    /// Creates and deletes <paramref name="probe"/> (by default a small file of its own) in <paramref name="folder"/>;
    /// a failure is refused naming <paramref name="option"/> and <paramref name="path"/> (and, when the name or path is
    /// too long, measuring <paramref name="target"/>, the file the probe stands for).
    /// </summary>
    private static void Probe(string folder, string path, string option, string? probe = null, string? target = null)
    {
        probe ??= Path.Combine(folder, $".sharpgrad-write-check-{Environment.ProcessId}.tmp");
        try
        {
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            string reason = e switch
            {
                UnauthorizedAccessException => $"permission denied in {folder}",
                PathTooLongException => AtomicFile.TooLong(target ?? probe),
                // ENOENT from a folder that exists: a kernel file system such as /proc, which makes no new files
                FileNotFoundException or DirectoryNotFoundException => $"{folder} takes no new files",
                _ => e.Message.Replace(probe, folder, StringComparison.Ordinal),
            };
            throw new ArgumentException($"{option} {path}: cannot write there ({reason}).", e);
        }
    }
}
