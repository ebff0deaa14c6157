using System.Globalization;

namespace SharpGrad.Cli.Train;

/// <summary>
/// The settings of one training run (the options of <c>sharpgrad train</c>). Settings left null take the
/// default of the chosen model and optimizer (see <see cref="Resolve"/>).
/// </summary>
internal sealed record TrainOptions
{
    public static readonly string[] ModelNames = ["mlp", "cnn"];
    public static readonly string[] OptimizerNames = ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw"];
    public static readonly string[] ScheduleNames = ["none", "step", "cosine"];

    // The rules of the settings that are both options and saved with a run: Resolve checks an option against them,
    // ResumeFrom the value a resumed file holds.
    private static readonly SettingRule<string> ModelRule = OneOf(ModelNames), OptimizerRule = OneOf(OptimizerNames), ScheduleRule = OneOf(ScheduleNames);
    private static readonly SettingRule<int> PositiveWhole = new(v => v > 0, "a positive whole number");
    private static readonly SettingRule<double> FinitePositive = new(v => v > 0 && double.IsFinite(v), "a finite positive number");
    private static readonly SettingRule<double> FiniteNonNegative = new(v => v >= 0 && double.IsFinite(v), "a finite number of 0 or more", Given: "a finite non-negative number");
    private static readonly SettingRule<double> Fraction = new(v => v is >= 0 and < 1, "a number in [0, 1)", Given: "in [0, 1)");

    public string? DataDirectory { get; init; }
    public string? Model { get; init; }
    public string? Optimizer { get; init; }
    public int? Epochs { get; init; }
    public int? BatchSize { get; init; }
    public double? LearningRate { get; init; }
    // Null means "not given": the default applies, and a resumed run takes the saved value.
    public double? Momentum { get; init; }
    public double? WeightDecay { get; init; }
    public double? Dropout { get; init; }
    public bool? BatchNorm { get; init; }
    public string? Schedule { get; init; }
    public int[]? Hidden { get; init; }
    public int? Seed { get; init; }
    public int? Threads { get; init; }
    public string? SavePath { get; init; }
    public string? ResumePath { get; init; }
    public string? ReportDirectory { get; init; }

    /// <summary>Use at most this many training samples (for quick runs and tests); null for all.</summary>
    public int? TrainLimit { get; init; }

    /// <summary>Stop at the first NaN or infinity and name the operation (<see cref="AnomalyDetection"/>).</summary>
    public bool DetectAnomaly { get; init; }

    public string ModelOrDefault => Model ?? "mlp";
    public int SeedOrDefault => Seed ?? 1;
    public int EpochsOrDefault => Epochs ?? (Model == "cnn" ? 8 : 20);
    public int BatchSizeOrDefault => BatchSize ?? (Model == "cnn" ? 32 : 100);
    public string OptimizerOrDefault => Optimizer ?? (Model == "cnn" ? "nesterov" : "momentum");
    public string ScheduleOrDefault => Schedule ?? (Model == "cnn" ? "cosine" : "none");

    public double MomentumOrDefault => Momentum ?? 0.9;
    public double WeightDecayOrDefault => WeightDecay ?? (OptimizerOrDefault == "adamw" ? 0.01 : 0);
    public double DropoutOrDefault => Dropout ?? 0;
    public bool BatchNormOrDefault => BatchNorm ?? false;
    public int[] HiddenOrDefault => Hidden ?? [100];

    public double LearningRateOrDefault => LearningRate ?? OptimizerOrDefault switch
    {
        "sgd" => 0.1,
        "momentum" or "nesterov" => 0.05,
        "adagrad" => 0.05,
        _ => 0.001,
    };

    /// <summary>Checks every setting and throws <see cref="ArgumentException"/> naming the option at fault.</summary>
    public TrainOptions Resolve()
    {
        Check("--model", Model, ModelRule);
        Check("--optimizer", Optimizer, OptimizerRule);
        Check("--schedule", Schedule, ScheduleRule);
        Check("--epochs", Epochs, PositiveWhole);
        Check("--batch-size", BatchSize, PositiveWhole);
        Check("--lr", LearningRate, FinitePositive);
        Check("--momentum", Momentum, Fraction);
        Check("--weight-decay", WeightDecay, FiniteNonNegative);
        Check("--dropout", Dropout, Fraction);
        // An option the chosen model or optimizer does not use would be silently ignored: refuse it instead.
        Require(Hidden is null || ModelOrDefault == "mlp", $"--hidden sets the layers of --model mlp; --model {ModelOrDefault} has a fixed architecture.");
        Require(Momentum is null || OptimizerOrDefault is "momentum" or "nesterov", $"--momentum is used by --optimizer momentum and nesterov, not {OptimizerOrDefault}.");
        Require(Threads is null or > 0, $"--threads must be at least 1, not {Threads}.");
        Check("--train-limit", TrainLimit, PositiveWhole);
        return this;
    }

    /// <summary>The settings a resumed run must share with the run that saved it, as header metadata.</summary>
    public Dictionary<string, string> ToMetadata(int epochsCompleted) => new()
    {
        ["sharpgrad.train.model"] = ModelOrDefault,
        ["sharpgrad.train.optimizer"] = OptimizerOrDefault,
        ["sharpgrad.train.schedule"] = ScheduleOrDefault,
        ["sharpgrad.train.batch_size"] = BatchSizeOrDefault.ToString(CultureInfo.InvariantCulture),
        ["sharpgrad.train.train_limit"] = TrainLimit?.ToString(CultureInfo.InvariantCulture) ?? "",
        ["sharpgrad.train.seed"] = SeedOrDefault.ToString(CultureInfo.InvariantCulture),
        ["sharpgrad.train.momentum"] = MomentumOrDefault.ToString("R", CultureInfo.InvariantCulture),
        ["sharpgrad.train.weight_decay"] = WeightDecayOrDefault.ToString("R", CultureInfo.InvariantCulture),
        ["sharpgrad.train.lr"] = LearningRateOrDefault.ToString("R", CultureInfo.InvariantCulture),
        ["sharpgrad.train.hidden"] = string.Join(",", HiddenOrDefault),
        ["sharpgrad.train.dropout"] = DropoutOrDefault.ToString("R", CultureInfo.InvariantCulture),
        ["sharpgrad.train.batch_norm"] = BatchNormOrDefault ? "true" : "false",
        ["sharpgrad.train.epochs_completed"] = epochsCompleted.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// The settings of a resumed run: those saved with the model, where this run does not set them. A setting given
    /// here that differs from the saved one is an error (the run would not continue the saved one). Every saved value
    /// is checked first, so a damaged or edited file is reported as such, not as a conflict or a crash later on.
    /// </summary>
    /// <param name="saved">The optimizer-state file's metadata.</param>
    /// <param name="file">How errors name the file, e.g. "--resume (its optimizer-state file) m.safetensors.optimizer".</param>
    public (TrainOptions Options, int EpochsCompleted) ResumeFrom(IReadOnlyDictionary<string, string> saved, string file)
    {
        string Get(string key) => saved.TryGetValue("sharpgrad.train." + key, out var v) ? v
            : throw new ArgumentException($"{file}: the file does not record the training settings ('sharpgrad.train.{key}'), so the run cannot be resumed; it was not written by `sharpgrad train --save`.");
        ArgumentException Damaged(string key, string expected) =>
            new($"{file}: the saved setting 'sharpgrad.train.{key}' is '{Get(key)}', not {expected}; the file is damaged or was not written by `sharpgrad train --save`, so the run cannot be resumed.");
        // A setting given on this command line must equal the saved one; one left out takes the saved value.
        T Same<T>(string option, T? given, T savedValue) where T : struct, IEquatable<T> =>
            given is not T g || g.Equals(savedValue) ? savedValue
            : throw new ArgumentException($"--resume continues the saved run, which used {option} {Format(savedValue)}; {option} {Format(g)} would change it. Leave {option} out.");
        string SameText(string option, string? given, string savedValue) =>
            given is null || given == savedValue ? savedValue
            : throw new ArgumentException($"--resume continues the saved run, which used {option} {savedValue}; {option} {given} would change it. Leave {option} out.");
        int Int(string key, SettingRule<int> rule) =>
            int.TryParse(Get(key), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int v) && rule.Accepts(v) ? v : throw Damaged(key, rule.Saved);
        double Real(string key, SettingRule<double> rule) =>
            double.TryParse(Get(key), NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && rule.Accepts(v) ? v : throw Damaged(key, rule.Saved);
        string Name(string key, SettingRule<string> rule) =>
            rule.Accepts(Get(key)) ? Get(key) : throw Damaged(key, rule.Saved);
        // Settings recorded only by newer files: when absent, what this run gives (or its default) is taken as it is.
        bool Has(string key) => saved.ContainsKey("sharpgrad.train." + key);

        string model = Name("model", ModelRule), optimizer = Name("optimizer", OptimizerRule), schedule = Name("schedule", ScheduleRule);
        int batchSize = Int("batch_size", PositiveWhole);
        int? limit = Get("train_limit").Length == 0 ? null : Int("train_limit", PositiveWhole with { Saved = $"{PositiveWhole.Saved} or empty (every sample)" });
        int seed = Int("seed", new(_ => true, "a whole number"));
        int epochsCompleted = Int("epochs_completed", new(v => v >= 0, "a whole number of 0 or more"));
        double? momentum = optimizer is "momentum" or "nesterov" ? Real("momentum", Fraction) : null;
        double weightDecay = Real("weight_decay", FiniteNonNegative);
        double? lr = Has("lr") ? Real("lr", FinitePositive) : null;
        double? dropout = Has("dropout") ? Real("dropout", Fraction) : null;
        bool? batchNorm = Has("batch_norm") ? Get("batch_norm") switch { "true" => true, "false" => false, _ => throw Damaged("batch_norm", "true or false") } : null;
        int[]? hidden = Has("hidden") && model == "mlp"
            ? ParseSavedHidden(Get("hidden")) ?? throw Damaged("hidden", "comma-separated positive layer sizes (or empty)")
            : null;

        if (TrainLimit is int givenLimit && givenLimit != limit)
            throw new ArgumentException($"--resume continues the saved run, which used {(limit is int l ? $"--train-limit {l}" : "all training samples (no --train-limit)")}; --train-limit {givenLimit} would change it. Leave --train-limit out.");
        var merged = this with
        {
            Model = SameText("--model", Model, model),
            Optimizer = SameText("--optimizer", Optimizer, optimizer),
            Schedule = SameText("--schedule", Schedule, schedule),
            BatchSize = Same("--batch-size", BatchSize, batchSize),
            TrainLimit = limit,
            Seed = Same("--seed", Seed, seed),
            Momentum = momentum is double savedMomentum ? Same("--momentum", Momentum, savedMomentum) : Momentum,
            WeightDecay = Same("--weight-decay", WeightDecay, weightDecay),
            LearningRate = lr is double savedLr ? Same("--lr", LearningRate, savedLr) : LearningRate,
            Dropout = dropout is double savedDropout ? Same("--dropout", Dropout, savedDropout) : Dropout,
            BatchNorm = batchNorm is bool savedBatchNorm ? Same("--batch-norm", BatchNorm, savedBatchNorm) : BatchNorm,
            Hidden = hidden is not null ? SameHidden(Hidden, hidden) : Hidden,
        };
        return (merged.Resolve(), epochsCompleted);
    }

    /// <summary>Saved hidden sizes ("256,128", or empty for none), or null when the text is not that.</summary>
    private static int[]? ParseSavedHidden(string text) =>
        text.Length == 0 ? [] : SizeList.TryParse(text, trimSpaces: false, out int[] sizes, out _) ? sizes : null;

    /// <summary>The saved hidden sizes, or an error when this run gives different ones.</summary>
    private static int[] SameHidden(int[]? given, int[] saved)
    {
        if (given is not null && !given.SequenceEqual(saved))
            throw new ArgumentException($"--resume continues the saved run, which used --hidden {string.Join(",", saved)}; --hidden {string.Join(",", given)} would change it. Leave --hidden out.");
        return saved;
    }

    private static string Format<T>(T value) where T : struct =>
        value is double d ? d.ToString("R", CultureInfo.InvariantCulture) : Convert.ToString(value, CultureInfo.InvariantCulture)!;

    private static SettingRule<string> OneOf(string[] names) => new(names.Contains, $"one of {string.Join(", ", names)}");

    /// <summary>A given option (null: not given) must follow its rule.</summary>
    private static void Check<T>(string option, T? value, SettingRule<T> rule) where T : struct
    {
        if (value is T v && !rule.Accepts(v)) throw new ArgumentException($"{option} must be {rule.Required}, not {Format(v)}.");
    }

    /// <summary>A given choice (null: not given) must follow its rule; the value is quoted.</summary>
    private static void Check(string option, string? value, SettingRule<string> rule)
    {
        if (value is not null && !rule.Accepts(value)) throw new ArgumentException($"{option} must be {rule.Required}, not '{value}'.");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition) throw new ArgumentException(message);
    }
}
