using SharpGrad.Optim;

namespace SharpGrad.Tests.Optim;

/// <summary>Optimizers against hand-worked values (float64), their state export, and the learning-rate schedules.</summary>
public class OptimizerTests
{
    /// <summary>Runs <paramref name="steps"/> updates with the constant gradient <paramref name="gradient"/> (loss = Σ gᵢ·wᵢ) and records w after each.</summary>
    private static double[][] Run(Func<Tensor, Optimizer> create, double[] start, double[] gradient, int steps)
    {
        var w = Tensor.FromArray(start).WithRequiresGrad();
        var opt = create(w);
        var g = Tensor.FromArray(gradient);
        var trace = new double[steps][];
        for (int s = 0; s < steps; s++)
        {
            opt.ZeroGrad();
            (w * g).Sum().Backward();
            opt.Step();
            trace[s] = w.ToDoubleArray();
        }
        return trace;
    }

    [Theory]
    [InlineData(-5.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void LearningRate_SetToANegativeOrNonFiniteValue_IsRefused_AndKeepsTheOldRate(double rate)
    {
        // The constructor refused these but the setter took them: −5 then climbed the loss, NaN made every weight NaN.
        var w = Tensor.FromArray([1.0]).WithRequiresGrad();
        var opt = new Sgd([w], 0.1);
        Assert.Throws<ArgumentOutOfRangeException>(() => opt.LearningRate = rate);
        Assert.Equal(0.1, opt.LearningRate);
        (w * 2.0).Sum().Backward();
        opt.Step();
        Assert.Equal(0.8, w.Item(), 12); // 1 − 0.1·2
    }

    [Fact]
    public void LearningRate_OfZero_IsAllowed_AsASchedulesEnd()
    {
        var w = Tensor.FromArray([1.0]).WithRequiresGrad();
        var opt = new Sgd([w], 0.1) { LearningRate = 0 };
        (w * 2.0).Sum().Backward();
        opt.Step();
        Assert.Equal(1.0, w.Item());
    }

    [Fact]
    public void Constructor_RefusesAnInfiniteLearningRate()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Adam([Tensor.FromArray([1.0]).WithRequiresGrad()], double.PositiveInfinity));
        Assert.StartsWith("The learning rate must be a finite positive number, not Infinity.", e.Message);
    }

    [Fact]
    public void Adam_ConstantGradient_MatchesHandWorkedValues()
    {
        // lr 0.001, β 0.9/0.999, ε 1e-8, g = 2. Step 1: m = 0.2, v = 0.004, m̂ = 0.2/0.1 = 2, v̂ = 0.004/0.001 = 4,
        // w = 1 − 0.001·2/(2 + 1e-8) = 0.999 (+5e-12). Step 2: m = 0.38, v = 0.007996, m̂ = 0.38/0.19 = 2,
        // v̂ = 0.007996/0.001999 = 4, so again a step of 0.001: w = 0.998.
        var trace = Run(w => new Adam([w], 0.001, 0.9, 0.999, 1e-8), [1], [2], 2);
        Assert.Equal(0.999, trace[0][0], 1e-9);
        Assert.Equal(0.998, trace[1][0], 1e-9);
    }

    [Fact]
    public void Sgd_Momentum_MatchesHandWorkedValues()
    {
        // lr 0.1, μ 0.9, g = 2: v = 2, w = 1 − 0.2 = 0.8; v = 0.9·2 + 2 = 3.8, w = 0.8 − 0.38 = 0.42.
        var trace = Run(w => new Sgd([w], 0.1, momentum: 0.9), [1], [2], 2);
        Assert.Equal(0.8, trace[0][0], 1e-12);
        Assert.Equal(0.42, trace[1][0], 1e-12);
    }

    [Fact]
    public void AdaGrad_MatchesHandWorkedValues()
    {
        // lr 0.1, ε 1e-7, g = [1, 2]. Step 1: h = [1, 4], √h = [1, 2], w = 1 − 0.1·[1/1, 2/2] = [0.9, 0.9].
        // Step 2: h = [2, 8], √h = [√2, 2√2], steps 0.1·[1/√2, 2/(2√2)] = 0.0707107 each: w = [0.8292893, 0.8292893].
        var trace = Run(w => new AdaGrad([w], 0.1, epsilon: 1e-7), [1, 1], [1, 2], 2);
        Assert.Equal(new[] { 0.9, 0.9 }, trace[0], (a, b) => Math.Abs(a - b) < 1e-7);
        Assert.Equal(new[] { 0.8292893, 0.8292893 }, trace[1], (a, b) => Math.Abs(a - b) < 1e-7);
    }

    [Fact]
    public void RmsProp_MatchesHandWorkedValues()
    {
        // lr 0.01, α 0.99, ε 1e-8, g = 2. Step 1: v = 0.01·4 = 0.04, √v = 0.2,
        // w = 1 − 0.01·2/(0.2 + 1e-8) = 1 − 0.099999995 = 0.900000005.
        // Step 2: v = 0.99·0.04 + 0.01·4 = 0.0796, √v = 0.2821347196, step 0.02/0.2821347296 = 0.0708881180,
        // w = 0.900000005 − 0.0708881180 = 0.8291118870.
        var trace = Run(w => new RmsProp([w], 0.01, alpha: 0.99, epsilon: 1e-8), [1], [2], 2);
        Assert.Equal(0.900000005, trace[0][0], 1e-9);
        Assert.Equal(0.8291118870, trace[1][0], 1e-9);
    }

    [Fact]
    public void AdamW_DecaysWeightsOutsideTheMoments()
    {
        // lr 0.1, λ 0.1, g = 2. With a constant gradient m̂ = 2 and v̂ = 4 at every step, so each Adam step is
        // 0.1·2/(2 + 1e-8) = 0.0999999995. Step 1: w = 1·(1 − 0.1·0.1) = 0.99, then 0.99 − 0.0999999995 = 0.8900000005.
        // Step 2: w = 0.8900000005·0.99 = 0.881100000495, then − 0.0999999995 = 0.781100000995.
        var trace = Run(w => new AdamW([w], 0.1, weightDecay: 0.1), [1], [2], 2);
        Assert.Equal(0.8900000005, trace[0][0], 1e-12);
        Assert.Equal(0.781100000995, trace[1][0], 1e-12);
    }

    [Fact]
    public void Adam_WeightDecay_IsAddedToTheGradient()
    {
        // Coupled L2: g = 2 + 0.1·1 = 2.1, m̂ = 2.1, v̂ = 4.41, step 0.1·2.1/(2.1 + 1e-8) ≈ 0.1: w = 0.9 (AdamW gives 0.89).
        var trace = Run(w => new Adam([w], 0.1, weightDecay: 0.1), [1], [2], 1);
        Assert.Equal(0.9, trace[0][0], 1e-8);
    }

    [Theory]
    [InlineData("sgd")]
    [InlineData("adagrad")]
    [InlineData("rmsprop")]
    [InlineData("adam")]
    [InlineData("adamw")]
    public void Float32AndFloat64_Agree(string kind)
    {
        Optimizer Create(Tensor w) => kind switch
        {
            "sgd" => new Sgd([w], 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01),
            "adagrad" => new AdaGrad([w], 0.1, weightDecay: 0.01),
            "rmsprop" => new RmsProp([w], 0.01, weightDecay: 0.01, momentum: 0.5, centered: true),
            "adam" => new Adam([w], 0.01, weightDecay: 0.01),
            _ => new AdamW([w], 0.01),
        };
        var w64 = Tensor.FromArray(new double[] { 1, -2, 0.5 }).WithRequiresGrad();
        var w32 = Tensor.FromArray(new float[] { 1, -2, 0.5f }).WithRequiresGrad();
        Optimizer o64 = Create(w64), o32 = Create(w32);
        for (int s = 0; s < 3; s++)
        {
            o64.ZeroGrad(); o32.ZeroGrad();
            w64.Square().Sum().Backward();
            w32.Square().Sum().Backward();
            o64.Step(); o32.Step();
        }
        Assert.Equal(w64.ToDoubleArray(), w32.ToDoubleArray(), (a, b) => Math.Abs(a - b) < 1e-5);
    }

    [Theory]
    [InlineData("adam")]
    [InlineData("adamw")]
    public void Float32Adam_FirstStep_IsTheLearningRate_As_PyTorchComputesIt(string kind)
    {
        // PyTorch takes 1 − β₂ in double and rounds it once (0.001f); 1 − 0.999f in float32 is 0.00099998713, which
        // made v 1.3e-5 too small and the step 6.4e-6 too large: w = 10 − 1·2/√4 gave 8.9999936, not 9.
        // With a constant gradient, m̂ = g and v̂ = g², so the first Adam step is lr·g/|g| = lr (AdamW: λ = 0 here).
        var w = Tensor.FromArray(new float[] { 10, -10 }).WithRequiresGrad();
        Optimizer opt = kind == "adam" ? new Adam([w], 1.0) : new AdamW([w], 1.0, weightDecay: 0);
        (w * Tensor.FromArray(new float[] { 2, -3 })).Sum().Backward();
        opt.Step();
        Assert.Equal(9.0, w[0], 1e-6);
        Assert.Equal(-9.0, w[1], 1e-6);
    }

    [Fact]
    public void Float32RmsProp_FirstStep_UsesOneMinusAlphaRoundedOnce()
    {
        // v = (1 − α)·g², so the first step is lr·g/√((1 − α)g²) = lr/√(1 − α) = 0.1/√0.001 = 3.16227766 (ε = 1e-8 is
        // far below float32's resolution here); 1 − 0.999f in float32 made it 3.1623 + 2e-5.
        var w = Tensor.FromArray(new float[] { 10 }).WithRequiresGrad();
        var opt = new RmsProp([w], 0.1, alpha: 0.999);
        (w * 2f).Sum().Backward();
        opt.Step();
        Assert.Equal(10 - 0.1 / Math.Sqrt(0.001), w[0], 2e-6);
    }

    [Fact]
    public void StateTensors_AreCopies_ButTheUncopiedOnesForSaving_WrapTheLiveState()
    {
        // Loss Σ g·w with g = [3, −1], momentum 0.9: after one step v = g = [3, −1]; after a second, v = 0.9·v + g = [5.7, −1.9].
        var w = Tensor.FromArray(new double[] { 1, 2 }).WithRequiresGrad();
        var g = Tensor.FromArray(new double[] { 3, -1 });
        var opt = new Sgd([w], 0.1, momentum: 0.9);
        void StepOnce()
        {
            opt.ZeroGrad();
            (w * g).Sum().Backward();
            opt.Step();
        }
        StepOnce();
        var copied = opt.StateTensors()["0.momentum_buffer"];
        var shared = opt.StateTensors(copy: false)["0.momentum_buffer"];
        Assert.Equal(new double[] { 3, -1 }, shared.ToDoubleArray());
        StepOnce();
        Assert.Equal(new double[] { 3, -1 }, copied.ToDoubleArray());
        Assert.Equal(new[] { 5.7, -1.9 }, shared.ToDoubleArray(), (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void StateTensors_ResumeIsBitIdenticalToUninterruptedTraining()
    {
        static Tensor Fresh() => Tensor.FromArray(new double[] { 0.3, -1.7, 2.2 }).WithRequiresGrad();
        static void StepOnce(Tensor w, Optimizer opt)
        {
            opt.ZeroGrad();
            (w.Sin() * w).Sum().Backward();
            opt.Step();
        }
        var w1 = Fresh();
        var straight = new Adam([w1], 0.05, weightDecay: 0.01);
        for (int s = 0; s < 3; s++) StepOnce(w1, straight);

        var w2 = Fresh();
        var first = new Adam([w2], 0.05, weightDecay: 0.01);
        for (int s = 0; s < 2; s++) StepOnce(w2, first);
        var state = first.StateTensors();
        Assert.Equal(new[] { "step_count", "0.step", "0.exp_avg", "0.exp_avg_sq" }, state.Keys);

        var w3 = Tensor.FromArray(w2.ToDoubleArray()).WithRequiresGrad();
        var resumed = new Adam([w3], 0.05, weightDecay: 0.01);
        resumed.LoadState(state);
        Assert.Equal(2, resumed.StepCount);
        StepOnce(w3, resumed);
        Assert.Equal(w1.ToDoubleArray(), w3.ToDoubleArray());
    }

    [Fact]
    public void LoadState_NamesEveryProblem_AndChangesNothing()
    {
        var w = Tensor.FromArray(new double[] { 1, 2 }).WithRequiresGrad();
        var opt = new Sgd([w], 0.1, momentum: 0.9);
        var bad = new Dictionary<string, Tensor>
        {
            ["step_count"] = Tensor.Scalar(4, DType.Float64),
            ["0.momentum_buffer"] = Tensor.Zeros(DType.Float64, 3),
            ["0.exp_avg"] = Tensor.Zeros(DType.Float64, 2),
            ["7.momentum_buffer"] = Tensor.Zeros(DType.Float64, 2),
        };
        var e = Assert.Throws<ArgumentException>(() => opt.LoadState(bad));
        Assert.Contains("'0.momentum_buffer' is Float64 [3], but parameter 0 is Float64 [2]", e.Message);
        Assert.Contains("'0.exp_avg' is not state of Sgd", e.Message);
        Assert.Contains("'7.momentum_buffer' refers to parameter 7", e.Message);
        Assert.Equal(0, opt.StepCount);
    }

    [Fact]
    public void LoadState_Throws_WhenStepCountsAreNegative_ListingBoth_AndChangesNothing()
    {
        var w = Tensor.FromArray(new double[] { 1 }).WithRequiresGrad();
        var adam = new Adam([w], 0.01);
        w.Sum().Backward();
        adam.Step();
        var before = adam.StateTensors();
        var bad = adam.StateTensors().ToDictionary();
        bad["step_count"] = Tensor.Scalar(-3.0, DType.Float64);
        bad["0.step"] = Tensor.Scalar(-3.0, DType.Float64);

        var e = Assert.Throws<ArgumentException>(() => adam.LoadState(bad));
        Assert.Equal(
            "Cannot load Adam state: '0.step' is -3, but a step count must be a whole number from 0 to 2^53; " +
            "'step_count' is -3, but a step count must be a whole number from 0 to 2^53. (Parameter 'state')", e.Message);
        Assert.Equal(1, adam.StepCount);
        var after = adam.StateTensors();
        Assert.Equal(before.Keys, after.Keys);
        foreach (var key in before.Keys) Assert.Equal(before[key].ToDoubleArray(), after[key].ToDoubleArray());
    }

    [Fact]
    public void LoadState_Throws_WhenStepCountIsMissingOrNotAScalar_AndChangesNothing()
    {
        var w = Tensor.FromArray(new double[] { 1 }).WithRequiresGrad();
        var sgd = new Sgd([w], 0.1);
        var missing = new Dictionary<string, Tensor> { ["0.step"] = Tensor.Scalar(2.0, DType.Float64) };
        var notScalar = new Dictionary<string, Tensor> { ["step_count"] = Tensor.Zeros(DType.Float64, 2), ["0.step"] = Tensor.Scalar(2.0, DType.Float64) };

        Assert.Equal("Cannot load Sgd state: 'step_count' is missing. (Parameter 'state')", Assert.Throws<ArgumentException>(() => sgd.LoadState(missing)).Message);
        Assert.Equal("Cannot load Sgd state: 'step_count' has shape [2], expected a scalar. (Parameter 'state')", Assert.Throws<ArgumentException>(() => sgd.LoadState(notScalar)).Message);
        Assert.Equal(0, sgd.StepCount);

        sgd.LoadState(new Dictionary<string, Tensor> { ["step_count"] = Tensor.Scalar(5.0, DType.Float64), ["0.step"] = Tensor.Scalar(2.0, DType.Float64) });
        Assert.Equal(5, sgd.StepCount);
    }

    [Theory]
    [InlineData("step_count", 1.5, "'step_count' is 1.5")]
    [InlineData("0.step", -7.0, "'0.step' is -7")]
    [InlineData("0.step", double.NaN, "'0.step' is NaN")]
    [InlineData("step_count", double.PositiveInfinity, "'step_count' is Infinity")]
    [InlineData("step_count", 1e300, "'step_count' is 1E+300")]
    public void LoadState_Throws_WhenAStepCountIsNotAWholeNumberInRange(string key, double value, string named)
    {
        var w = Tensor.FromArray(new double[] { 1 }).WithRequiresGrad();
        var sgd = new Sgd([w], 0.1);
        var state = new Dictionary<string, Tensor> { ["step_count"] = Tensor.Scalar(2.0, DType.Float64), ["0.step"] = Tensor.Scalar(2.0, DType.Float64) };
        state[key] = Tensor.Scalar(value, DType.Float64);

        var e = Assert.Throws<ArgumentException>(() => sgd.LoadState(state));
        Assert.Equal($"Cannot load Sgd state: {named}, but a step count must be a whole number from 0 to 2^53. (Parameter 'state')", e.Message);
        Assert.Equal(0, sgd.StepCount);
    }

    [Fact]
    public void LoadState_Throws_WhenAParameterStepExceedsStepCount()
    {
        var w = Tensor.FromArray(new double[] { 1 }).WithRequiresGrad();
        var sgd = new Sgd([w], 0.1);
        var state = new Dictionary<string, Tensor> { ["step_count"] = Tensor.Scalar(2.0, DType.Float64), ["0.step"] = Tensor.Scalar(3.0, DType.Float64) };

        var e = Assert.Throws<ArgumentException>(() => sgd.LoadState(state));
        Assert.Equal(
            "Cannot load Sgd state: '0.step' is 3, more than 'step_count' (2): a parameter cannot have had more updates " +
            "than the optimizer has taken steps. (Parameter 'state')", e.Message);
        Assert.Equal(0, sgd.StepCount);
    }

    [Fact]
    public void StateTensors_RoundTrip_WhenAParameterMissedSteps()
    {
        // b gets no gradient in the first step, so its step (1) is behind step_count (2): that state must load.
        var a = Tensor.FromArray(new double[] { 1 }).WithRequiresGrad();
        var b = Tensor.FromArray(new double[] { 1 }).WithRequiresGrad();
        var adam = new Adam([a, b], 0.01);
        a.Sum().Backward();
        adam.Step();
        adam.ZeroGrad();
        (a + b).Sum().Backward();
        adam.Step();
        var state = adam.StateTensors();
        Assert.Equal(2, state["step_count"].Item());
        Assert.Equal(1, state["1.step"].Item());

        var resumed = new Adam([Tensor.Zeros(DType.Float64, 1).WithRequiresGrad(), Tensor.Zeros(DType.Float64, 1).WithRequiresGrad()], 0.01);
        resumed.LoadState(state);
        Assert.Equal(2, resumed.StepCount);
        Assert.Equal(1, resumed.StateTensors()["1.step"].Item());
    }

    [Fact]
    public void StepLR_DecaysEveryStepSizeEpochs()
    {
        var opt = new Sgd([Tensor.Zeros(1).WithRequiresGrad()], 1.0);
        var schedule = new StepLR(opt, stepSize: 2, gamma: 0.5);
        var rates = new List<double> { opt.LearningRate };
        for (int e = 0; e < 4; e++) { schedule.Step(); rates.Add(opt.LearningRate); }
        Assert.Equal(new[] { 1, 1, 0.5, 0.5, 0.25 }, rates);
    }

    [Fact]
    public void CosineAnnealing_FollowsHalfCosine()
    {
        // T_max 4, lr₀ 1, η_min 0.1: lr(e) = 0.1 + 0.9·(1 + cos(πe/4))/2 → 1, 0.1 + 0.9·0.8535534 = 0.8681981, 0.55, 0.2318019, 0.1.
        var opt = new Adam([Tensor.Zeros(1).WithRequiresGrad()], 1.0);
        var schedule = new CosineAnnealingLR(opt, tMax: 4, etaMin: 0.1);
        var expected = new[] { 0.8681981, 0.55, 0.2318019, 0.1 };
        foreach (var lr in expected)
        {
            schedule.Step();
            Assert.Equal(lr, opt.LearningRate, 1e-7);
        }
        schedule.Epoch = 2; // resuming sets the rate from the closed form
        Assert.Equal(0.55, opt.LearningRate, 1e-12);
    }

    [Fact]
    public void Optimizers_RejectBadSettings()
    {
        var w = Tensor.Zeros(1).WithRequiresGrad();
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam([w], 0.1, beta1: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam([w], 0.1, epsilon: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdamW([w], 0.1, weightDecay: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdaGrad([w], 0.1, weightDecay: double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RmsProp([w], 0.1, alpha: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new StepLR(new Sgd([w], 0.1), 0));
    }

    public static TheoryData<string, Func<Optimizer>> EmptyParameterLists => new()
    {
        { "Sgd", () => new Sgd([], 0.1) },
        { "Sgd", () => new Sgd(Enumerable.Empty<Tensor>(), 0.1, momentum: 0.9) },
        { "Adam", () => new Adam([]) },
        { "AdamW", () => new AdamW([]) },
        { "AdaGrad", () => new AdaGrad([]) },
        { "RmsProp", () => new RmsProp([]) },
    };

    [Theory]
    [MemberData(nameof(EmptyParameterLists))]
    public void Optimizers_Throw_OnAnEmptyParameterList(string type, Func<Optimizer> create)
    {
        var e = Assert.Throws<ArgumentException>(create);
        Assert.Equal($"{type}: optimizer got an empty parameter list (did the model's Parameters() return nothing?). (Parameter 'parameters')", e.Message);
    }

    [Fact]
    public void Optimizers_Throw_OnADuplicateParameter_NamingBothPositions()
    {
        // Listed twice, p = 1 with gradient 2 would be updated twice per step: 1 − 0.1·2·2 = 0.6 instead of 0.8.
        var p = Tensor.FromArray(new double[] { 1 }).WithRequiresGrad();
        var q = Tensor.FromArray(new double[] { 1, 2 }).WithRequiresGrad();
        string expected = "Parameters 0 and 2 are the same tensor (shape [1]); each parameter must be listed once, or it would be updated once per listing. (Parameter 'parameters')";

        Assert.Equal(expected, Assert.Throws<ArgumentException>(() => new Sgd([p, q, p], 0.1)).Message);
        Assert.Equal(expected, Assert.Throws<ArgumentException>(() => new Adam([p, q, p])).Message);
        Assert.Equal(expected, Assert.Throws<ArgumentException>(() => new RmsProp([p, q, p])).Message);
    }

    [Fact]
    public void Optimizers_Accept_EqualValuedButDistinctParameters()
    {
        var a = Tensor.FromArray(new double[] { 1 }).WithRequiresGrad();
        var b = Tensor.FromArray(new double[] { 1 }).WithRequiresGrad();
        var sgd = new Sgd([a, b], 0.1);
        (a * 2 + b * 2).Sum().Backward();
        sgd.Step();
        Assert.Equal(0.8, a.Item(), 1e-12);
        Assert.Equal(0.8, b.Item(), 1e-12);
    }

    [Fact]
    public void Optimizers_Throw_OnANonLeafParameter()
    {
        var p = Tensor.FromArray(new double[] { 1, 2 }).WithRequiresGrad();
        var doubled = p * 2;

        var e = Assert.Throws<ArgumentException>(() => new Sgd([p, doubled], 0.1));
        Assert.Equal(
            "Parameter 1 (shape [2]) is not a leaf tensor but the result of an operation; an optimizer can only update leaves, " +
            "such as a module's parameters. (Parameter 'parameters')", e.Message);
    }

    /// <summary>
    /// A frozen parameter (RequiresGrad false) may be listed, as in PyTorch's fine-tuning idiom: it gets no gradient and
    /// stays as it is, while the others take the update; unfrozen later, it is updated from then on.
    /// </summary>
    [Fact]
    public void AFrozenParameter_IsAccepted_AndLeftAloneUntilUnfrozen()
    {
        var trained = Tensor.FromArray(new double[] { 1, 2 }).WithRequiresGrad();
        var frozen = Tensor.FromArray(new double[] { 3, 4 });
        var sgd = new Sgd([trained, frozen], 0.1);

        ((trained * frozen).Sum()).Backward(); // ∂/∂trained = frozen = [3, 4]; nothing flows to frozen
        sgd.Step();

        Assert.Equal(1 - (0.1 * 3), trained.ToDoubleArray()[0], 12);
        Assert.Equal(2 - (0.1 * 4), trained.ToDoubleArray()[1], 12);
        Assert.Null(frozen.Grad);
        Assert.Equal([3.0, 4.0], frozen.ToDoubleArray());

        frozen.RequiresGrad = true;
        sgd.ZeroGrad();
        ((trained * frozen).Sum()).Backward(); // ∂/∂frozen = trained = [0.7, 1.6]
        sgd.Step();

        Assert.Equal(3 - (0.1 * 0.7), frozen.ToDoubleArray()[0], 12);
        Assert.Equal(4 - (0.1 * 1.6), frozen.ToDoubleArray()[1], 12);
    }

    [Fact]
    public void ANullParameter_IsRefusedNamingItsPosition()
    {
        var p = Tensor.Scalar(1.0, DType.Float64, requiresGrad: true);
        var e = Assert.Throws<ArgumentNullException>(() => new Sgd([p, null!], 0.1));
        Assert.StartsWith("Parameter 1 is null.", e.Message);
    }
}
