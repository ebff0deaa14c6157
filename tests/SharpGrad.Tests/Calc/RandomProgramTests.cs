using System.Globalization;

namespace SharpGrad.Tests.Calc;

/// <summary>
/// Random programs from a seeded generator, over every operator and function, with domains kept valid (logs,
/// roots, powers and denominators of positive expressions; exps of bounded ones). The command's value and
/// gradients, intermediates included, are checked against forward-mode dual numbers evaluated on the same tree.
/// </summary>
public class RandomProgramTests
{
    private static readonly string[] Inputs = ["a", "b", "c"];

    /// <summary>An expression tree that prints itself as calc source and evaluates itself with duals.</summary>
    private sealed record Gen(string Text, Func<Func<string, Dual>, Dual> Eval);

    private static string Num(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static Gen Leaf(Random r, bool allowIntermediate)
    {
        int pick = r.Next(allowIntermediate ? 5 : 4);
        if (pick == 3)
        {
            double c = Math.Round(r.NextDouble() * 3 + 0.5, 2);
            return new Gen(Num(c), _ => new Dual(c, 0));
        }
        string name = pick == 4 ? "t" : Inputs[pick];
        return new Gen(name, env => env(name));
    }

    private static Gen Any(Random r, int depth, bool t)
    {
        if (depth == 0) return Leaf(r, t);
        switch (r.Next(12))
        {
            case 0: { var x = Any(r, depth - 1, t); var y = Any(r, depth - 1, t); return new($"({x.Text} + {y.Text})", e => x.Eval(e) + y.Eval(e)); }
            case 1: { var x = Any(r, depth - 1, t); var y = Any(r, depth - 1, t); return new($"({x.Text} - {y.Text})", e => x.Eval(e) - y.Eval(e)); }
            case 2: { var x = Any(r, depth - 1, t); var y = Any(r, depth - 1, t); return new($"({x.Text} * {y.Text})", e => x.Eval(e) * y.Eval(e)); }
            case 3: { var x = Any(r, depth - 1, t); var y = Positive(r, depth - 1, t); return new($"({x.Text} / {y.Text})", e => x.Eval(e) / y.Eval(e)); }
            case 4: { var x = Any(r, depth - 1, t); return new($"-({x.Text})", e => -x.Eval(e)); }
            case 5: { var x = Any(r, depth - 1, t); var f = Pick(r, "sin", "cos", "tanh"); return new($"{f}({x.Text})", e => Apply(f, x.Eval(e))); }
            case 6: { var x = Any(r, depth - 1, t); return new($"sigmoid({x.Text})", e => x.Eval(e).Sigmoid()); }
            case 7: { var x = Any(r, depth - 1, t); var f = Pick(r, "relu", "abs"); return new($"{f}({x.Text} + 0.25)", e => Apply(f, x.Eval(e) + new Dual(0.25, 0))); }
            default: return Positive(r, depth - 1, t);
        }
    }

    /// <summary>An expression whose value is at least about 0.1, so log, sqrt, powers and division are defined and tame.</summary>
    private static Gen Positive(Random r, int depth, bool t)
    {
        var x = depth <= 0 ? Leaf(r, t) : Any(r, depth - 1, t);
        switch (r.Next(5))
        {
            case 0: return new($"exp(tanh({x.Text}))", e => x.Eval(e).Tanh().Exp());
            case 1: return new($"sqrt(({x.Text})^2 + 0.5)", e => (x.Eval(e).Pow(2) + new Dual(0.5, 0)).Sqrt());
            case 2: return new($"log(({x.Text})^2 + 2)", e => (x.Eval(e).Pow(2) + new Dual(2, 0)).Log());
            case 3:
            {
                double k = Pick(r, 3.0, 0.5, -1.0, 1.5);
                return new($"(sigmoid({x.Text}) + 0.1)^{Num(k)}", e => (x.Eval(e).Sigmoid() + new Dual(0.1, 0)).Pow(k));
            }
            default: return new($"(abs({x.Text}) + 0.5)", e => x.Eval(e).Abs() + new Dual(0.5, 0));
        }
    }

    private static T Pick<T>(Random r, params T[] items) => items[r.Next(items.Length)];

    private static Dual Apply(string f, Dual x) => f switch
    {
        "sin" => x.Sin(),
        "cos" => x.Cos(),
        "tanh" => x.Tanh(),
        "relu" => x.Relu(),
        "abs" => x.Abs(),
        _ => throw new ArgumentException(f),
    };

    public static TheoryData<int> Seeds()
    {
        var data = new TheoryData<int>();
        for (int seed = 1; seed <= 40; seed++) data.Add(seed);
        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void RandomProgram_MatchesDualNumbers(int seed)
    {
        var r = new Random(seed);
        var values = Inputs.ToDictionary(n => n, _ => Math.Round(r.NextDouble() * 3 - 1.5, 3));
        bool withIntermediate = seed % 2 == 0;
        var t = withIntermediate ? Any(r, 3, false) : null;
        var y = Any(r, 4, withIntermediate);
        string program = t is null ? y.Text : $"t = {t.Text}\ny = {y.Text}";

        // Every name the program mentions needs a value, and no other; find them from the text itself.
        var used = Inputs.Where(n => System.Text.RegularExpressions.Regex.IsMatch(program, $@"\b{n}\b")).ToList();
        var args = new List<string> { program };
        args.AddRange(used.Select(n => $"{n}={Num(values[n])}"));
        var run = CalcRun.Of([.. args, "--json"]);
        Assert.True(run.ExitCode == 0, program + "\n" + run.Err);
        var json = System.Text.Json.JsonDocument.Parse(run.Out).RootElement;

        Dual Env(string seedName, string name, Dual? tValue) =>
            name == "t" ? tValue!.Value : new Dual(values[name], name == seedName ? 1 : 0);
        Dual TValue(string seedName) => t!.Eval(n => Env(seedName, n, null));
        Dual Output(string seedName) => y.Eval(n => Env(seedName, n, withIntermediate ? TValue(seedName) : null));

        double expected = Output("").Value;
        Assert.True(Math.Abs(expected - json.GetProperty("value").GetDouble()) <= Tolerance(expected), $"value {json.GetProperty("value").GetDouble()} vs dual {expected}\n{program}");
        foreach (var name in used)
        {
            double want = Output(name).Derivative;
            double got = json.GetProperty("gradients").GetProperty(name).GetDouble();
            Assert.True(Math.Abs(got - want) <= Tolerance(want), $"∂y/∂{name}: {got} vs dual {want}\n{program}");
        }
        if (withIntermediate)
        {
            // ∂y/∂t holding the inputs fixed: seed t itself.
            double tv = TValue("").Value;
            double want = y.Eval(n => n == "t" ? new Dual(tv, 1) : new Dual(values[n], 0)).Derivative;
            var tJson = json.GetProperty("intermediates").GetProperty("t");
            Assert.Equal(tv, tJson.GetProperty("value").GetDouble(), Tolerance(tv));
            Assert.True(Math.Abs(tJson.GetProperty("gradient").GetDouble() - want) <= Tolerance(want), $"∂y/∂t vs {want}\n{program}");
        }
    }

    /// <summary>1e-10 relative, 1e-12 absolute near zero: both methods are exact up to rounding.</summary>
    private static double Tolerance(double v) => Math.Max(1e-12, 1e-10 * Math.Abs(v));
}
