namespace SharpGrad.Cli.Calc;

/// <summary>A named scalar of a calc program and the tensor holding it.</summary>
/// <param name="Name">The name in the program.</param>
/// <param name="Tensor">The float64 scalar tensor.</param>
internal sealed record NamedTensor(string Name, Tensor Tensor);

/// <summary>
/// A calc program built into the library's graph (float64 scalars): every free name is a leaf that requires
/// gradients, every named statement an intermediate that keeps its gradient, the last statement the output.
/// </summary>
internal sealed class CalcGraph
{
    private readonly string _source;
    private readonly Dictionary<Tensor, Expr> _sourceText;
    private readonly HashSet<Tensor> _copies;

    private CalcGraph(string source, Tensor output, string outputName, List<NamedTensor> inputs, List<NamedTensor> intermediates, Dictionary<Tensor, Expr> sourceText, HashSet<Tensor> copies)
    {
        _source = source;
        _sourceText = sourceText;
        _copies = copies;
        Output = output;
        OutputName = outputName;
        Inputs = inputs;
        Intermediates = intermediates;
    }

    /// <summary>The last statement's value.</summary>
    public Tensor Output { get; }

    /// <summary>The last statement's name, or "output" when it has none.</summary>
    public string OutputName { get; }

    /// <summary>The inputs, in the order they first appear in the program.</summary>
    public IReadOnlyList<NamedTensor> Inputs { get; }

    /// <summary>The named statements other than the output, in program order.</summary>
    public IReadOnlyList<NamedTensor> Intermediates { get; }

    /// <summary>Whether the tensor is the copy made for a statement that only renames, "a = x".</summary>
    public bool IsCopy(Tensor t) => _copies.Contains(t);

    /// <summary>The longest source text an explanation repeats; longer text is shortened in the middle.</summary>
    private const int MaxDescription = 60;

    /// <summary>How a tensor of this graph reads in an explanation: its name, its value if constant, else its source text in parentheses.</summary>
    public string Describe(Tensor t)
    {
        if (t.Name is { } name) return name;
        if (!t.RequiresGrad) return NumberFormat.Text(t.Item());
        if (!_sourceText.TryGetValue(t, out var e)) return "(…)";
        string text = _source[e.Start..e.End];
        if (text.Length > MaxDescription) // a long chain would repeat the program once per node
            return $"({text[..(MaxDescription / 2)].TrimEnd()} … {text[^(MaxDescription / 2)..].TrimStart()})";
        return IsEnclosed(text) ? text : $"({text})";
    }

    /// <summary>Whether the text is one parenthesised group or a call, "(a + b)" or "exp(x)", and needs no more parentheses.</summary>
    private static bool IsEnclosed(string text)
    {
        int open = text.IndexOf('(');
        if (open < 0 || text[^1] != ')' || !text[..open].All(Lexer.IsIdentifierPart)) return false;
        int depth = 0;
        for (int i = open; i < text.Length; i++)
        {
            depth += text[i] == '(' ? 1 : text[i] == ')' ? -1 : 0;
            if (depth == 0 && i < text.Length - 1) return false; // "(a) + (b)" closes early
        }
        return true;
    }

    /// <summary>Checks the program against the values and builds its graph.</summary>
    /// <param name="source">The program text.</param>
    /// <param name="values">The inputs' values by name.</param>
    /// <returns>The graph, evaluated.</returns>
    /// <exception cref="CalcException">The program and the values do not fit together, or an operation is undefined at these values.</exception>
    public static CalcGraph Build(string source, IReadOnlyDictionary<string, double> values)
    {
        var statements = Parser.Parse(source);
        var inputNames = FindInputs(source, statements);
        var assigned = statements.Where(s => s.Name is not null).Select(s => s.Name!).ToHashSet();

        var missing = inputNames.Where(n => !values.ContainsKey(n)).ToList();
        if (missing.Count > 0)
            throw new CalcException($"calc: no value for input {string.Join(", ", missing.Select(n => $"'{n}'"))}; give it as {missing[0]}=VALUE.");
        foreach (var name in values.Keys)
        {
            if (assigned.Contains(name))
                throw new CalcException($"calc: '{name}' is computed by the program, so it cannot be given a value.");
            if (!inputNames.Contains(name))
                throw new CalcException($"calc: a value was given for '{name}', which the program does not use.");
        }

        var env = new Dictionary<string, Tensor>();
        var inputs = new List<NamedTensor>();
        foreach (var name in inputNames)
        {
            var leaf = Tensor.Scalar(values[name], DType.Float64, requiresGrad: true).WithName(name);
            env[name] = leaf;
            inputs.Add(new NamedTensor(name, leaf));
        }

        var intermediates = new List<NamedTensor>();
        var sourceText = new Dictionary<Tensor, Expr>(ReferenceEqualityComparer.Instance);
        var copies = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        var evaluator = new Evaluator(source, env, sourceText);
        Tensor last = null!;
        foreach (var statement in statements)
        {
            last = evaluator.Evaluate(statement.Value);
            if (statement.Name is not { } name) continue;
            if (last.IsLeaf && !last.RequiresGrad)
                last = Tensor.Scalar(last.Item(), DType.Float64, requiresGrad: true); // a named constant still has a gradient to report
            // "a = x" must not make a another name for x's tensor: gradients reaching x through other uses would be
            // reported as a's. Clone() is the library's identity node (a copy that passes the gradient through).
            if (last.Name is not null)
            {
                last = last.Clone();
                copies.Add(last);
            }
            last.WithName(name);
            if (!last.IsLeaf) last.RetainGrad();
            env[name] = last;
            intermediates.Add(new NamedTensor(name, last));
        }
        string outputName = statements[^1].Name ?? "output";
        if (statements[^1].Name is not null) intermediates.RemoveAt(intermediates.Count - 1);
        return new CalcGraph(source, last, outputName, inputs, intermediates, sourceText, copies);
    }

    /// <summary>The free names, in order of first use; rejects names assigned twice or used before their assignment.</summary>
    private static List<string> FindInputs(string source, List<Statement> statements)
    {
        var assignedAt = new Dictionary<string, int>();
        for (int k = 0; k < statements.Count; k++)
        {
            if (statements[k].Name is not { } name) continue;
            if (assignedAt.TryGetValue(name, out int first))
                throw new CalcException($"calc: '{name}' is assigned twice (statements {first + 1} and {k + 1}); give each intermediate its own name.");
            assignedAt[name] = k;
        }
        var inputs = new List<string>();
        for (int k = 0; k < statements.Count; k++)
        {
            foreach (var use in Names(statements[k].Value))
            {
                if (assignedAt.TryGetValue(use.Name, out int at))
                {
                    if (at >= k)
                        throw new CalcException($"calc: '{use.Name}' is used at {CalcException.Where(source, use.Start)} before it is assigned in statement {at + 1}.");
                }
                else if (!inputs.Contains(use.Name))
                {
                    inputs.Add(use.Name);
                }
            }
        }
        return inputs;
    }

    /// <summary>The names in <paramref name="root"/>, left to right; a loop, not recursion, as a chain of 100,000 terms is that deep.</summary>
    private static IEnumerable<NameExpr> Names(Expr root)
    {
        var pending = new Stack<Expr>();
        pending.Push(root);
        while (pending.TryPop(out var e))
        {
            switch (e)
            {
                case NameExpr n: yield return n; break;
                case NegateExpr u: pending.Push(u.Operand); break;
                case CallExpr c: pending.Push(c.Argument); break;
                case BinaryExpr b: pending.Push(b.Right); pending.Push(b.Left); break;
            }
        }
    }
}
