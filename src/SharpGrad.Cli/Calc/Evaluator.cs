namespace SharpGrad.Cli.Calc;

/// <summary>
/// Turns expressions into tensors with the library's operations, so the graph the engine differentiates is the
/// program itself. Stops at the first operation whose result is NaN or infinite from finite operands, naming it.
/// </summary>
/// <param name="source">The program text, for messages and labels.</param>
/// <param name="env">The tensors of the inputs and of the intermediates assigned so far.</param>
/// <param name="sourceText">Receives the expression (the span of source text) of every operation's result.</param>
internal sealed class Evaluator(string source, Dictionary<string, Tensor> env, Dictionary<Tensor, Expr> sourceText)
{
    /// <summary>
    /// The tensor of <paramref name="e"/>. A chain such as x + x + … + x is a left-deep tree as deep as it is long, so
    /// left operands are walked in a loop; recursion only follows nesting, which the parser limits.
    /// </summary>
    public Tensor Evaluate(Expr e)
    {
        if (e is not BinaryExpr) return EvaluateSingle(e);
        var spine = new List<BinaryExpr>();
        while (e is BinaryExpr b)
        {
            spine.Add(b);
            e = b.Left;
        }
        var result = EvaluateSingle(e);
        for (int k = spine.Count - 1; k >= 0; k--) result = Combine(spine[k], result, Evaluate(spine[k].Right));
        return result;
    }

    private Tensor EvaluateSingle(Expr e)
    {
        switch (e)
        {
            case NumberExpr n:
                return Tensor.Scalar(n.Value, DType.Float64);
            case NameExpr name:
                return env[name.Name];
            case NegateExpr neg:
            {
                var x = Evaluate(neg.Operand);
                return Check(-x, e, "−", x);
            }
            case CallExpr call:
            {
                var x = Evaluate(call.Argument);
                var y = call.Function switch
                {
                    "exp" => x.Exp(),
                    "log" => x.Log(),
                    "sqrt" => x.Sqrt(),
                    "sin" => x.Sin(),
                    "cos" => x.Cos(),
                    "tanh" => x.Tanh(),
                    "sigmoid" => x.Sigmoid(),
                    "relu" => x.Relu(),
                    "abs" => x.Abs(),
                    _ => throw new InvalidOperationException($"The parser let through the unknown function '{call.Function}'."),
                };
                return Check(y, e, call.Function, x);
            }
            default:
                throw new InvalidOperationException($"Unknown expression {e.GetType().Name}.");
        }
    }

    private Tensor Combine(BinaryExpr b, Tensor x, Tensor y)
    {
        var z = b.Operator switch
        {
            '+' => x + y,
            '-' => x - y,
            '*' => x * y,
            '/' => x / y,
            // A constant exponent is one power node with a constant c; a variable one is the tensor-exponent power node.
            '^' => y.RequiresGrad ? x.Pow(y) : x.Pow(y.Item()),
            _ => throw new InvalidOperationException($"The parser let through the unknown operator '{b.Operator}'."),
        };
        return Check(z, b, b.Operator.ToString(), x, y);
    }

    /// <summary>Records the result's source text, or throws if it is the first non-finite value on its path.</summary>
    private Tensor Check(Tensor result, Expr e, string op, params Tensor[] operands)
    {
        sourceText.TryAdd(result, e);
        double v = result.Item();
        if (double.IsFinite(v) || operands.Any(o => !double.IsFinite(o.Item()))) return result;

        string text = source[e.Start..e.End];
        string[] args = operands.Select(o => NumberFormat.Text(o.Item())).ToArray();
        string detail = operands.Length == 1
            ? (op == "−" ? $"−({args[0]})" : $"{op}({args[0]})")
            : $"{args[0]} {op} {args[1]}";
        bool atPole = operands.Any(o => o.Item() == 0); // log(0), 0^−0.5, 1/0: infinite at a singular point, not an overflow
        string why = op == "/" && operands[1].Item() == 0 ? "is a division by zero"
            : double.IsNaN(v) ? "is undefined"
            : atPole ? "is infinite there (a singular point)"
            : "overflows";
        string gives = double.IsNaN(v) ? "NaN" : v < 0 ? "−infinity" : "infinity";
        throw new CalcException($"calc: '{text}' at {CalcException.Where(source, e.Start)} gives {gives}: {detail} {why}, so the output is undefined for these values.");
    }
}
