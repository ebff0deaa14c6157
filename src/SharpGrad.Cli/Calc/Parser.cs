namespace SharpGrad.Cli.Calc;

/// <summary>
/// Recursive-descent parser for calc programs. Precedence, loosest first: + −, then * /, then unary minus, then
/// ^ (right-associative, so 2^3^2 is 2^9 and −x^2 is −(x²)), then numbers, names, calls and parentheses.
/// </summary>
internal sealed class Parser
{
    /// <summary>The functions a program may call, each with one argument.</summary>
    public static readonly IReadOnlyList<string> Functions = ["exp", "log", "sqrt", "sin", "cos", "tanh", "sigmoid", "relu", "abs"];

    /// <summary>How deeply parentheses, calls, unary signs and powers may nest: deeper input is rejected, not a stack overflow.</summary>
    public const int MaxDepth = 10_000;

    private readonly string _source;
    private readonly List<Token> _tokens;
    private int _next;
    private int _depth;

    private Parser(string source)
    {
        _source = source;
        _tokens = Lexer.Tokenize(source);
    }

    /// <summary>Parses the statements of <paramref name="source"/>, separated by ';' or newlines.</summary>
    /// <param name="source">The program.</param>
    /// <returns>The statements, at least one.</returns>
    /// <exception cref="CalcException">A syntax error or an unknown function.</exception>
    public static List<Statement> Parse(string source)
    {
        var parser = new Parser(source);
        var statements = new List<Statement>();
        while (true)
        {
            while (parser.Peek.Kind == TokenKind.Separator) parser._next++;
            if (parser.Peek.Kind == TokenKind.End) break;
            statements.Add(parser.ParseStatement());
            var after = parser.Peek;
            if (after.Kind is not (TokenKind.Separator or TokenKind.End))
                throw parser.Expected("an operator, ';' or the end of the statement", after);
        }
        if (statements.Count == 0)
            throw CalcException.Syntax(source, source.Length, "a statement such as \"y = x * 2\"", "an empty program");
        return statements;
    }

    private Token Peek => _tokens[_next];

    private Token PeekAt(int k) => _tokens[Math.Min(_next + k, _tokens.Count - 1)];

    private Token Take() => _tokens[_next++];

    private CalcException Expected(string what, Token found) =>
        found.Kind == TokenKind.Comma ? Lexer.Comma(_source, found.Start) : CalcException.Syntax(_source, found.Start, what, found.Describe());

    private Statement ParseStatement()
    {
        if (Peek.Kind == TokenKind.Identifier && PeekAt(1).Kind == TokenKind.Assign)
        {
            var name = Take();
            Take();
            return new Statement(name.Text, name.Start, ParseSum());
        }
        return new Statement(null, Peek.Start, ParseSum());
    }

    private Expr ParseSum()
    {
        var left = ParseProduct();
        while (Peek is { Kind: TokenKind.Operator, Text: "+" or "-" })
        {
            char op = Take().Text[0];
            var right = ParseProduct();
            left = new BinaryExpr(op, left, right, left.Start, right.End);
        }
        return left;
    }

    private Expr ParseProduct()
    {
        var left = ParseUnary();
        while (Peek is { Kind: TokenKind.Operator, Text: "*" or "/" })
        {
            char op = Take().Text[0];
            var right = ParseUnary();
            left = new BinaryExpr(op, left, right, left.Start, right.End);
        }
        return left;
    }

    /// <summary>Every level of nesting passes through here, so this is where the depth is counted.</summary>
    private Expr ParseUnary()
    {
        if (++_depth > MaxDepth)
            throw new CalcException($"calc: the program nests more than {MaxDepth:N0} levels deep (parentheses, calls, signs or powers) at {CalcException.Where(_source, Peek.Start)}; split it into named statements.");
        try
        {
            return ParseUnaryCore();
        }
        finally
        {
            _depth--;
        }
    }

    private Expr ParseUnaryCore()
    {
        if (Peek is { Kind: TokenKind.Operator, Text: "-" })
        {
            var minus = Take();
            var operand = ParseUnary();
            return new NegateExpr(operand, minus.Start, operand.End);
        }
        if (Peek is { Kind: TokenKind.Operator, Text: "+" })
        {
            Take();
            return ParseUnary();
        }
        return ParsePower();
    }

    private Expr ParsePower()
    {
        var baseExpr = ParsePrimary();
        if (Peek is not { Kind: TokenKind.Operator, Text: "^" }) return baseExpr;
        Take();
        var exponent = ParseUnary(); // right-associative, and 2^-1 is allowed
        return new BinaryExpr('^', baseExpr, exponent, baseExpr.Start, exponent.End);
    }

    private Expr ParsePrimary()
    {
        var token = Peek;
        switch (token.Kind)
        {
            case TokenKind.Number:
                Take();
                return new NumberExpr(Lexer.ParseNumber(token.Text), token.Start, token.End);
            case TokenKind.Identifier when PeekAt(1).Kind == TokenKind.LeftParen:
                Take();
                if (!Functions.Contains(token.Text))
                    throw new CalcException($"calc: unknown function '{token.Text}' at {CalcException.Where(_source, token.Start)}; the functions are {string.Join(", ", Functions)}.");
                Take();
                var argument = ParseSum();
                var close = Peek;
                if (close.Kind != TokenKind.RightParen) throw Expected($"')' to close {token.Text}(", close);
                Take();
                return new CallExpr(token.Text, argument, token.Start, close.End);
            case TokenKind.Identifier:
                Take();
                return new NameExpr(token.Text, token.Start, token.End);
            case TokenKind.LeftParen:
                Take();
                var inner = ParseSum();
                if (Peek.Kind != TokenKind.RightParen) throw Expected("')'", Peek);
                return inner with { Start = token.Start, End = Take().End }; // the text includes the parentheses
            default:
                throw Expected("a number, a name, a function call or '('", token);
        }
    }
}
