namespace SharpGrad.Cli.Calc;

/// <summary>An expression of a calc program; <see cref="Start"/> and <see cref="End"/> delimit its text.</summary>
internal abstract record Expr(int Start, int End);

/// <summary>A number literal.</summary>
internal sealed record NumberExpr(double Value, int Start, int End) : Expr(Start, End);

/// <summary>A name: an input, or an intermediate assigned by an earlier statement.</summary>
internal sealed record NameExpr(string Name, int Start, int End) : Expr(Start, End);

/// <summary>Unary minus: −operand.</summary>
internal sealed record NegateExpr(Expr Operand, int Start, int End) : Expr(Start, End);

/// <summary>A binary operation: +, −, *, / or ^.</summary>
internal sealed record BinaryExpr(char Operator, Expr Left, Expr Right, int Start, int End) : Expr(Start, End);

/// <summary>A function applied to one argument, such as exp(x).</summary>
internal sealed record CallExpr(string Function, Expr Argument, int Start, int End) : Expr(Start, End);

/// <summary>One statement: <c>name = expression</c>, or a bare expression (<see cref="Name"/> null).</summary>
internal sealed record Statement(string? Name, int NameStart, Expr Value);

/// <summary>The kinds of token.</summary>
internal enum TokenKind { Number, Identifier, Operator, LeftParen, RightParen, Assign, Separator, Comma, End }

/// <summary>A token and where it starts.</summary>
internal readonly record struct Token(TokenKind Kind, string Text, int Start)
{
    public int End => Start + Text.Length;

    /// <summary>How the token reads in an error message.</summary>
    public string Describe() => Kind switch
    {
        TokenKind.End => "the end of the program",
        TokenKind.Separator => Text == ";" ? "';'" : "the end of the line",
        _ => $"'{Text}'",
    };
}
