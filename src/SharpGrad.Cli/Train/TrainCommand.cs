using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using SharpGrad.Data;
using SharpGrad.IO;
using SharpGrad.Nn;
using SharpGrad.Optim;
using Spectre.Console;

namespace SharpGrad.Cli.Train;

/// <summary><c>sharpgrad train</c>: trains a network on MNIST-format digits and reports accuracy each epoch.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var data = new Option<string?>("--data") { Description = "Folder holding the four MNIST-format files (train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]). Default: the embedded 10,000-digit sample." };
        var model = new Option<string?>("--model") { Description = "mlp (multilayer perceptron, the default) or cnn (two conv-ReLU-pool blocks and a linear classifier)." };
        var optimizer = new Option<string?>("--optimizer") { Description = "sgd, momentum, nesterov, adagrad, rmsprop, adam or adamw. Default: momentum for mlp, nesterov for cnn." };
        var epochs = new Option<int?>("--epochs") { Description = "Passes over the training set in all (a resumed run continues up to this count). Default: 20 for mlp, 8 for cnn." };
        var batchSize = new Option<int?>("--batch-size") { Description = "Samples per mini-batch. Default: 100 for mlp, 32 for cnn." };
        var lr = NumberOption.Create("--lr", "Learning rate. Default: 0.1 sgd, 0.05 momentum/nesterov/adagrad, 0.001 rmsprop/adam/adamw.");
        var momentum = NumberOption.Create("--momentum", "Momentum of the momentum and nesterov optimizers (default 0.9).");
        var weightDecay = NumberOption.Create("--weight-decay", "L2 weight decay (decoupled for adamw). Default: 0, and 0.01 for adamw.");
        var dropout = NumberOption.Create("--dropout", "Dropout probability after hidden layers (default 0: none).");
        var batchNorm = new Option<bool?>("--batch-norm") { Description = "Add batch normalisation after each hidden layer or convolution." };
        var schedule = new Option<string?>("--schedule") { Description = "Learning-rate schedule: none, step (×0.1 every third of the epochs) or cosine. Default: none for mlp, cosine for cnn." };
        var hidden = new Option<string?>("--hidden") { Description = "Hidden layer sizes of the mlp, comma-separated (e.g. 256,128); empty for a linear model. Default: 100." };
        var seed = new Option<int?>("--seed") { Description = "Seed for weights, dropout and shuffling: the same seed gives the same result (default 1)." };
        var threads = new Option<int?>("--threads") { Description = "Worker threads for matrix products (default and most: the number of cores; 1 runs on the calling thread only)." };
        var save = new Option<string?>("--save") { Description = "Save the trained model to this safetensors file (and the optimizer state beside it, FILE.optimizer), for `sharpgrad eval` and --resume." };
        var resume = new Option<string?>("--resume") { Description = "Continue a run saved with --save up to --epochs, with its optimizer state and settings (settings given again must match)." };
        var report = new Option<string?>("--report") { Description = "Write per-epoch metrics (CSV, JSON), loss/accuracy curves and the confusion matrix into this folder." };
        var limit = new Option<int?>("--train-limit") { Description = "Use only the first N training samples (for quick experiments)." };
        var anomaly = new Option<bool>("--detect-anomaly") { Description = "Stop at the first NaN or infinity, naming the operation that produced it (slower)." };

        var command = new Command("train", "Train a neural network on handwritten digits (the embedded MNIST sample by default) and print the test accuracy.")
        {
            data, model, optimizer, epochs, batchSize, lr, momentum, weightDecay, dropout, batchNorm, schedule, hidden, seed, threads, save, resume, report, limit, anomaly,
        };
        command.SetAction(parse =>
        {
            TrainOptions options;
            try
            {
                options = new TrainOptions
                {
                    DataDirectory = parse.GetValue(data),
                    Model = parse.GetValue(model),
                    Optimizer = parse.GetValue(optimizer),
                    Epochs = parse.GetValue(epochs),
                    BatchSize = parse.GetValue(batchSize),
                    LearningRate = parse.GetValue(lr),
                    Momentum = parse.GetValue(momentum),
                    WeightDecay = parse.GetValue(weightDecay),
                    Dropout = parse.GetValue(dropout),
                    BatchNorm = parse.GetValue(batchNorm),
                    Schedule = parse.GetValue(schedule),
                    Hidden = parse.GetValue(hidden) is { } hiddenText ? ParseHidden(hiddenText) : null,
                    Seed = parse.GetValue(seed),
                    Threads = parse.GetValue(threads),
                    SavePath = parse.GetValue(save),
                    ResumePath = parse.GetValue(resume),
                    ReportDirectory = parse.GetValue(report),
                    TrainLimit = parse.GetValue(limit),
                    DetectAnomaly = parse.GetValue(anomaly),
                }.Resolve();
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine(Messages.Line("train", e));
                return 2;
            }
            return Run(options, Console.Out, Console.Error, interactive: !Console.IsOutputRedirected);
        });
        return command;
    }

    /// <summary>The metadata key of the dropout masks' generator state (hex), so a resumed run draws the masks an uninterrupted one would.</summary>
    internal const string DropoutStateKey = "sharpgrad.train.dropout_rng";

    /// <summary>The generator of the model's Dropout layers (one shared generator), or null when it has none.</summary>
    internal static Generator? DropoutGenerator(Module model) =>
        model is Dropout d ? d.Generator : model.Children.Select(c => DropoutGenerator(c.Module)).FirstOrDefault(g => g is not null);

    /// <summary>Puts the saved generator state back into the resumed model's Dropout layers.</summary>
    private static void RestoreDropoutState(Module model, string? savedHex, string file)
    {
        if (DropoutGenerator(model) is not { } generator) return;
        if (savedHex is null)
            throw new ArgumentException($"{file}: the model has Dropout layers but the file does not record their random state ('{DropoutStateKey}'), so the resumed run could not continue the saved one exactly.");
        try
        {
            generator.SetState(Convert.FromHexString(savedHex));
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new ArgumentException($"{file}: the saved dropout random state '{DropoutStateKey}' is damaged ({e.Message}).", e);
        }
    }

    /// <summary>How errors in the optimizer-state file of a --resume model name it.</summary>
    private static readonly string ResumeOptimizerOption = Messages.FileOf("--resume", OptimizerStateFile);

    /// <summary>How the output paths and errors name the optimizer-state file --save writes (compared by CheckResumeSurvives).</summary>
    private static readonly string SaveOptimizerOption = Messages.FileOf("--save", OptimizerStateFile);

    /// <summary>What the file beside a model is, as errors name it.</summary>
    internal const string OptimizerStateFile = "optimizer-state file";

    /// <summary>The optimizer-state file saved beside a model file.</summary>
    public static string OptimizerPath(string modelPath) => modelPath + ".optimizer";

    /// <summary>Runs training with the given options, writing progress and results to <paramref name="stdout"/>.</summary>
    public static int Run(TrainOptions options, TextWriter stdout, TextWriter stderr, bool interactive)
    {
        var wall = Stopwatch.StartNew();
        Trainer trainer;
        int firstEpoch = 0;
        string? savedDropoutState = null;
        try
        {
            options = options.Resolve();
            Module? resumed = null;
            SafeTensorsFile? savedState = null;
            string? optimizerFile = options.ResumePath is null ? null : OptimizerPath(options.ResumePath);
            if (options.ResumePath is not null)
            {
                resumed = InputPaths.Read(options.ResumePath, "--resume", Module.LoadModel);
                if (!File.Exists(optimizerFile))
                    throw new ArgumentException($"--resume {options.ResumePath}: its optimizer state {optimizerFile} is missing (--save writes it beside the model), so training cannot continue where it stopped.");
                savedState = InputPaths.Read(optimizerFile!, ResumeOptimizerOption, SafeTensors.Read);
                (options, firstEpoch) = options.ResumeFrom(savedState.Metadata, $"{ResumeOptimizerOption} {optimizerFile}");
                savedDropoutState = savedState.Metadata.GetValueOrDefault(DropoutStateKey);
            }
            CheckOutputs(options); // before spending time on training
            var notes = new List<string>();
            if (options.Threads is int t) Kernels.KernelSettings.Threads = Reductions.Threads(t, Environment.ProcessorCount, notes);
            var (train, test) = options.DataDirectory is null ? Mnist.LoadEmbedded() : InputPaths.ReadFolder(options.DataDirectory, "--data", Mnist.Load);
            // Before the model (and its gradients and optimizer state) is allocated: a run too large for the machine
            // was killed by the kernel's out-of-memory killer after its banner.
            if (resumed is not null) Trainer.RequireRecordedShape(resumed, train, $"--resume {options.ResumePath}", "training");
            else if (options.ModelOrDefault == "cnn") Trainer.RequireCnnImages(train);
            MemoryEstimate.For(options, train, test, resumed).Check(options, AvailableMemory());
            trainer = new Trainer(options, train, test, resumed);
            if (options.ResumePath is not null)
            {
                CheckInputSize(trainer.Model, train, $"--resume {options.ResumePath}");
                InputPaths.Read(optimizerFile!, ResumeOptimizerOption, path => trainer.Optimizer.LoadState(savedState!, path)); // read once, above
                CheckStepsMatchEpochs(trainer, firstEpoch, optimizerFile!);
                CheckLearningRateMatchesSettings(trainer, options, optimizerFile!);
                if (trainer.Scheduler is not null) trainer.Scheduler.Epoch = firstEpoch;
                // A run saves only once complete, so the saved epochs followed a schedule spread over those epochs alone;
                // the continued ones follow one spread over --epochs, which no uninterrupted run would have combined.
                if (trainer.Scheduler is not null && firstEpoch < options.EpochsOrDefault)
                    notes.Add(string.Create(CultureInfo.InvariantCulture,
                        $"--schedule {options.ScheduleOrDefault} spreads over all the epochs: the {firstEpoch} saved epoch(s) followed a {firstEpoch}-epoch schedule, the rest follow a {options.EpochsOrDefault}-epoch one (from lr {trainer.Optimizer.LearningRate:R}), so the result differs from one uninterrupted {options.EpochsOrDefault}-epoch run"));
                RestoreDropoutState(trainer.Model, savedDropoutState, $"{ResumeOptimizerOption} {optimizerFile}");
            }
            int batchSize = Reductions.BatchSize(options, train.Count, trainer.Train.Count, notes);
            if (trainer.DropsSingleSampleBatch)
                notes.Add($"{trainer.Train.Count} training samples in batches of {batchSize} leave a last batch of 1, which --batch-norm cannot train on; each epoch leaves it out and trains on {trainer.Train.Count - 1}");
            foreach (string note in notes) stderr.WriteLine($"sharpgrad train: note: {note}.");
            stdout.WriteLine($"data: {(options.DataDirectory ?? "embedded MNIST sample")} ({trainer.Train.Count} train, {test.Count} test)");
            stdout.WriteLine($"model: {trainer.Model}");
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"optimizer: {options.OptimizerOrDefault}, lr {options.LearningRateOrDefault}, schedule {options.ScheduleOrDefault}, batch {batchSize}, seed {options.SeedOrDefault}, {Kernels.KernelSettings.Threads} thread(s)"));
            if (options.ResumePath is not null)
                stdout.WriteLine(firstEpoch >= options.EpochsOrDefault
                    ? $"resumed from {options.ResumePath} after epoch {firstEpoch}: --epochs {options.EpochsOrDefault} are already done, nothing to train"
                    : $"resumed from {options.ResumePath} after epoch {firstEpoch}");
        }
        catch (Exception e) when (e is SharpGradFormatException or IOException or ArgumentException or UnauthorizedAccessException)
        {
            stderr.WriteLine(Messages.Line("train", e));
            return 2;
        }

        using var anomalyScope = options.DetectAnomaly ? AnomalyDetection.Enable() : null;
        var history = new List<EpochResult>();
        for (int epoch = firstEpoch; epoch < options.EpochsOrDefault; epoch++)
        {
            EpochResult result;
            try
            {
                result = interactive ? RunWithProgressBar(trainer, epoch, options.EpochsOrDefault) : trainer.RunEpoch(epoch);
            }
            catch (Exception e) when (e is InvalidOperationException or AnomalyException or ArgumentException)
            {
                stderr.WriteLine(Messages.Line("train", e));
                return 1;
            }
            history.Add(result);
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"epoch {result.Epoch,3}/{options.EpochsOrDefault}  loss {result.TrainLoss:F4}  train accuracy {result.TrainAccuracy:F4}  test accuracy {result.TestAccuracy:F4}  ({result.Seconds:F2} s, {result.SamplesPerSecond:N0} samples/s)"));
        }

        try
        {
            if (options.SavePath is { } savePath)
                Save(savePath, trainer, options.ToMetadata(Math.Max(firstEpoch, options.EpochsOrDefault)), stdout, options.ReportDirectory);
            if (options.ReportDirectory is { } reportDirectory)
                OutputPaths.Writing("--report", reportDirectory, () => WriteReport(reportDirectory, trainer, history, stdout));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            stderr.WriteLine(Messages.Line("train", e));
            return 1;
        }

        double finalAccuracy = history.Count > 0 ? history[^1].TestAccuracy : Trainer.Accuracy(trainer.Model, trainer.Test);
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wall time: {wall.Elapsed.TotalSeconds:F2} s"));
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"test accuracy: {finalAccuracy:F4}"));
        return 0;
    }

    /// <summary>
    /// Writes the model to <paramref name="path"/> and the optimizer state (with <paramref name="metadata"/>) beside
    /// it, as one: both are written to temporary files first and renamed into place only when both are complete, so a
    /// failure (a full disk) leaves the files there were as they were; above all the pair a --resume in place read.
    /// </summary>
    /// <param name="path">The model file.</param>
    /// <param name="trainer">The trained model and its optimizer.</param>
    /// <param name="metadata">The settings to record in the optimizer-state file.</param>
    /// <param name="stdout">Where "saved: …" goes.</param>
    /// <param name="reportDirectory">
    /// The --report folder, if any: when the model's folder is missing and creating the report folder creates it, it
    /// is created now (and removed again if the save fails).
    /// </param>
    /// <exception cref="IOException">A file cannot be written; the message names --save and the file.</exception>
    internal static void Save(string path, Trainer trainer, Dictionary<string, string> metadata, TextWriter stdout, string? reportDirectory = null)
    {
        string optimizerFile = OptimizerPath(path);
        if (DropoutGenerator(trainer.Model) is { } dropoutGenerator) metadata[DropoutStateKey] = Convert.ToHexString(dropoutGenerator.GetState());
        string folder = Path.GetDirectoryName(CanonicalPath.Of(path)) ?? ".";
        CreatedFolders? created = null;
        if (reportDirectory is not null && !Directory.Exists(folder) && OutputPaths.Creates(reportDirectory, folder))
        {
            try
            {
                created = CreatedFolders.Create(folder);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new IOException($"--save {path}: cannot create the folder {folder} ({e.Message}).", e);
            }
        }
        try
        {
            SavePair(path, optimizerFile, trainer, metadata);
        }
        catch
        {
            created?.RemoveIfEmpty();
            throw;
        }
        stdout.WriteLine($"saved: {path} (optimizer state: {optimizerFile})");
    }

    private static void SavePair(string path, string optimizerFile, Trainer trainer, Dictionary<string, string> metadata)
    {
        using (var pair = AtomicFile.BeginBatch())
        {
            OutputPaths.Writing(SaveOptimizerOption, optimizerFile, () => trainer.Optimizer.SaveState(optimizerFile, metadata));
            OutputPaths.Writing("--save", path, () => trainer.Model.Save(path));
            try
            {
                pair.Commit();
            }
            catch (IOException e) // only a rename can fail now; the message starts with the file's path
            {
                throw new IOException($"{(e.Message.StartsWith(optimizerFile + ": ", StringComparison.Ordinal) ? SaveOptimizerOption : "--save")} {e.Message}", e);
            }
        }
    }

    /// <summary>
    /// Every file --save and --report will write can be written, no two of them are the same path, and none lands on
    /// a file the run reads (--resume's pair, --data's files): a problem is found now, not after training.
    /// </summary>
    private static void CheckOutputs(TrainOptions options)
    {
        var outputs = new List<OutputPaths.Output>();
        if (options.SavePath is { } save)
        {
            outputs.Add(new("--save", save));
            outputs.Add(new(SaveOptimizerOption, OptimizerPath(save)));
        }
        if (options.ReportDirectory is { } report)
        {
            outputs.Add(new("--report", report, IsFolder: true));
            outputs.AddRange(Reports.TrainingReport.FileNames.Select(name => new OutputPaths.Output(Messages.FileOf("--report", name), Path.Combine(report, name))));
        }
        var landing = OutputPaths.CheckDistinct(outputs); // each output's path resolved once, for the checks below too
        if (options.ResumePath is { } resume)
        {
            string[] resumed = [CanonicalPath.Of(resume), CanonicalPath.Of(OptimizerPath(resume))];
            CheckResumeSurvives(resume, resumed, outputs, landing);
            // The model and its optimizer-state file are the first two outputs when there is a --save.
            if (options.SavePath is { } saved) CheckPairStaysTogether(resume, saved, resumed, landing[0], landing[1]);
        }
        // The embedded sample (no --data) has no files to destroy; an empty --data is refused when the data is read.
        if (options.DataDirectory is { Length: > 0 } data)
        {
            OutputPaths.CheckSparesInputs([.. Mnist.FilesRead(data).Select(file => new OutputPaths.Input("--data", file))], outputs, landing);
            OutputPaths.CheckSparesLookups("--data", Mnist.NamesLookedFor(data), outputs, landing); // names not there yet, too
        }
        if (options.SavePath is { } model)
        {
            // --save rep/m.safetensors --report rep: the folder --report creates is made before the model is saved.
            OutputPaths.CheckFile(model, "--save", options.ReportDirectory, target: landing[0]);
            OutputPaths.CheckFile(OptimizerPath(model), SaveOptimizerOption, options.ReportDirectory, target: landing[1]);
        }
        if (options.ReportDirectory is { } folder) OutputPaths.CheckDirectory(folder, "--report", Reports.TrainingReport.FileNames);
    }

    /// <summary>
    /// The files resumed from may be replaced only by their own successors (--save onto the --resume file continues the
    /// run in place); any other output landing on one of them, directly, through a symbolic link or as another name of
    /// the same file (device and inode), is refused.
    /// </summary>
    /// <param name="resume">The --resume model file, as given.</param>
    /// <param name="resumed">The --resume file and its optimizer-state file with their links followed.</param>
    /// <param name="outputs">The outputs.</param>
    /// <param name="landing">Each output's path with its links followed (<see cref="OutputPaths.CheckDistinct"/>).</param>
    private static void CheckResumeSurvives(string resume, string[] resumed, IReadOnlyList<OutputPaths.Output> outputs, IReadOnlyList<string> landing)
    {
        (string Option, string Path, string Successor, string Target)[] inputs =
        [
            ("--resume", resume, "--save", resumed[0]),
            (ResumeOptimizerOption, OptimizerPath(resume), SaveOptimizerOption, resumed[1]),
        ];
        foreach (var input in inputs)
        {
            for (int i = 0; i < outputs.Count; i++)
            {
                var output = outputs[i];
                if (output.IsFolder || output.Option == input.Successor) continue;
                var how = OutputPaths.Compare(input.Path, input.Target, output.Path, landing[i]);
                if (how != OutputPaths.Sameness.Different)
                    throw new ArgumentException(OutputPaths.SameFileMessage(input.Option, input.Path, output.Option, output.Path, "writing there would destroy the file being resumed", how));
            }
        }
    }

    /// <summary>
    /// --save may continue a run in place, but only as a pair: a model landing on the --resume file (through a symbolic
    /// link, say) while its optimizer-state file lands elsewhere, or the other way round, would leave the resumed pair
    /// with new weights and old state (or old weights and new state), and a later --resume would silently repeat epochs.
    /// </summary>
    /// <param name="resume">The --resume model file, as given.</param>
    /// <param name="save">The --save model file, as given.</param>
    /// <param name="resumed">The --resume file and its optimizer-state file with their links followed.</param>
    /// <param name="savedModel">The --save file with its links followed.</param>
    /// <param name="savedState">Its optimizer-state file with its links followed.</param>
    private static void CheckPairStaysTogether(string resume, string save, string[] resumed, string savedModel, string savedState)
    {
        bool model = string.Equals(resumed[0], savedModel, CanonicalPath.Comparison), state = string.Equals(resumed[1], savedState, CanonicalPath.Comparison);
        if (model == state) return;
        throw new ArgumentException(model
            ? $"--save {save} lands on the --resume file {resume}, but its optimizer-state file {OptimizerPath(save)} does not land on {OptimizerPath(resume)}: the saved pair would be split (new weights beside old optimizer state); save to the --resume path itself or to a new file."
            : $"--save {save} does not land on the --resume file {resume}, but its optimizer-state file {OptimizerPath(save)} lands on {OptimizerPath(resume)}: the saved pair would be split (old weights beside new optimizer state); save to the --resume path itself or to a new file.");
    }

    /// <summary>
    /// A run saved after E epochs of B batches has taken E·B optimizer steps (one per batch; a run that stops early
    /// saves nothing). Anything else means the optimizer state was damaged or comes from another run than its
    /// settings say, and continuing would silently repeat or skip steps of the schedule.
    /// </summary>
    private static void CheckStepsMatchEpochs(Trainer trainer, int epochs, string file)
    {
        long expected = (long)epochs * trainer.Loader.BatchCount;
        if (trainer.Optimizer.StepCount != expected)
            throw new ArgumentException(
                $"{ResumeOptimizerOption} {file}: the optimizer has taken {trainer.Optimizer.StepCount} steps, but {epochs} epoch(s) of {trainer.Loader.BatchCount} batches make {expected}; " +
                "the file is damaged or belongs to another run.");
    }

    /// <summary>
    /// Without a schedule, training continues at the learning rate saved with the optimizer state, which must then be
    /// the saved --lr: a file whose two disagreed trained at a rate the banner did not show. (With a schedule the rate
    /// is recomputed from --lr for the epoch, so the saved one is not used.)
    /// </summary>
    private static void CheckLearningRateMatchesSettings(Trainer trainer, TrainOptions options, string file)
    {
        if (trainer.Scheduler is not null) return;
        double saved = trainer.Optimizer.LearningRate, expected = options.LearningRateOrDefault;
        if (saved != expected)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{ResumeOptimizerOption} {file}: the optimizer's saved learning rate {saved:R} is not the run's --lr {expected:R} (with --schedule none it never changes); the file is damaged or belongs to another run."));
    }

    /// <summary>A resumed model must take the data's samples: run one sample through it and say so plainly if not.</summary>
    private static void CheckInputSize(Module model, Dataset train, string file)
    {
        if (train.Count == 0) return;
        try
        {
            using (Tensor.NoGrad())
            {
                bool training = model.Training;
                model.Eval();
                model.Forward(Tensor.FromArray(train.Features.AsSpan(0, train.FeatureSize).ToArray(), 1, train.FeatureSize));
                model.Train(training);
            }
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{file}: the saved model does not take this data's samples of {train.FeatureSize} values ({e.Message})", e);
        }
    }

    private static void WriteReport(string directory, Trainer trainer, List<EpochResult> history, TextWriter stdout)
    {
        if (history.Count == 0)
        {
            stdout.WriteLine("report: not written, no epoch was trained in this run");
            return;
        }
        var predicted = Trainer.Predict(trainer.Model, trainer.Test);
        var confusion = Reports.ConfusionMatrix.Compute(trainer.Test.Labels, predicted, trainer.Test.ClassCount);
        var files = Reports.TrainingReport.Write(directory, history, confusion, $"sharpgrad train --model {trainer.Options.ModelOrDefault}");
        stdout.WriteLine($"report: {string.Join(", ", files.Select(Path.GetFileName))} in {directory}");
    }

    private static EpochResult RunWithProgressBar(Trainer trainer, int epoch, int epochs)
    {
        EpochResult? result = null;
        AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask($"epoch {epoch + 1}/{epochs}", maxValue: trainer.Train.Count);
                var clock = Stopwatch.StartNew();
                result = trainer.RunEpoch(epoch, (done, loss) =>
                {
                    task.Value = done;
                    task.Description = string.Create(CultureInfo.InvariantCulture,
                        $"epoch {epoch + 1}/{epochs}  loss {loss:F4}  {done / Math.Max(1e-9, clock.Elapsed.TotalSeconds):N0} samples/s");
                });
            });
        return result!;
    }

    /// <summary>
    /// The bytes this process may use: the garbage collector's view, which honours a container's memory limit and
    /// DOTNET_GCHeapHardLimit as well as the machine's memory.
    /// </summary>
    internal static long AvailableMemory() => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    /// <summary>The --hidden sizes ("256,128"); an empty or blank text is a linear model (no hidden layer).</summary>
    /// <exception cref="ArgumentException">
    /// A part is not a positive whole number (the message quotes it), or two neighbouring sizes make a weight matrix of
    /// more elements than a tensor holds (2³¹ − 1; the message names the layer).
    /// </exception>
    internal static int[] ParseHidden(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) return [];
        if (!SizeList.TryParse(text, trimSpaces: true, out int[] sizes, out string bad))
            throw new ArgumentException($"--hidden expects comma-separated positive layer sizes such as 256,128; '{bad}' is not one.");
        RequireLayersFit(text, sizes);
        return sizes;
    }

    /// <summary>
    /// Each pair of neighbouring widths in <paramref name="widths"/> (the hidden sizes alone, or with the data's
    /// features before them and its classes after) makes a weight matrix that a tensor can hold (2³¹ − 1 elements).
    /// </summary>
    /// <param name="text">The --hidden text, as the message quotes it.</param>
    /// <param name="widths">The layer widths in order.</param>
    /// <exception cref="ArgumentException">A layer is too large; the message names it.</exception>
    internal static void RequireLayersFit(string text, int[] widths)
    {
        for (int i = 1; i < widths.Length; i++)
        {
            long weights = (long)widths[i - 1] * widths[i];
            if (weights > int.MaxValue)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"--hidden {text}: the layer {widths[i - 1]} → {widths[i]} would have {weights:N0} weights, more than a tensor holds ({int.MaxValue:N0})."));
            }
        }
    }
}
