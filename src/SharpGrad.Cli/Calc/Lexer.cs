using System.Globalization;
using System.Text;

namespace SharpGrad.Cli.Calc;

/// <summary>Splits a calc program into tokens. Newlines separate statements except inside parentheses.</summary>
internal static class Lexer
{
    public static List<Token> Tokenize(string source)
    {
        var tokens = new List<Token>();
        int depth = 0, i = 0;
        while (i < source.Length)
        {
            char c = source[i];
            if (c == '\n' && depth == 0) { tokens.Add(new Token(TokenKind.Separator, "\n", i++)); continue; }
            if (char.IsWhiteSpace(c)) { i++; continue; }
            int start = i;
            if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < source.Length && char.IsAsciiDigit(source[i + 1])))
            {
                i = ScanNumber(source, i);
                double number = ParseNumber(source[start..i]);
                if (!double.IsFinite(number))
                    throw CalcException.Syntax(source, start, $"the number {source[start..i]} is too large for a double (at most about 1.8e308)");
                if (UnderflowsToZero(source[start..i], number))
                    throw CalcException.Syntax(source, start, $"the number {source[start..i]} is too small for a double: it would be 0 (the smallest is about 4.9e-324)");
                tokens.Add(new Token(TokenKind.Number, source[start..i], start));
                continue;
            }
            if (IsIdentifierStart(c))
            {
                while (i < source.Length && IsIdentifierPart(source[i])) i++;
                tokens.Add(new Token(TokenKind.Identifier, source[start..i], start));
                continue;
            }
            var kind = c switch
            {
                '+' or '-' or '*' or '/' or '^' => TokenKind.Operator,
                '(' => TokenKind.LeftParen,
                ')' => TokenKind.RightParen,
                '=' => TokenKind.Assign,
                ';' => TokenKind.Separator,
                ',' => TokenKind.Comma, // never valid, but the parser first checks the function it follows is known
                _ => throw UnexpectedCharacter(source, i),
            };
            if (kind == TokenKind.LeftParen) depth++;
            if (kind == TokenKind.RightParen) depth = Math.Max(0, depth - 1);
            tokens.Add(new Token(kind, c.ToString(), i++));
        }
        tokens.Add(new Token(TokenKind.End, "", source.Length));
        return tokens;
    }

    public static bool IsIdentifierStart(char c) => char.IsLetter(c) || c == '_';

    public static bool IsIdentifierPart(char c) => char.IsLetterOrDigit(c) || c == '_';

    /// <summary>A character no token starts with; right after a name, it is most likely meant as part of that name.</summary>
    private static CalcException UnexpectedCharacter(string source, int i) => source[i] switch
    {
        '×' or '·' or '∙' => CalcException.Syntax(source, i, $"{DescribeCharacter(source, i)} is not an operator here; write '*' for multiplication"),
        '−' or '–' => CalcException.Syntax(source, i, $"{DescribeCharacter(source, i)} is not an operator here; write '-' for subtraction"),
        '÷' => CalcException.Syntax(source, i, $"{DescribeCharacter(source, i)} is not an operator here; write '/' for division"),
        _ => UnexpectedOther(source, i),
    };

    private static CalcException UnexpectedOther(string source, int i) => i > 0 && IsIdentifierPart(source[i - 1])
        ? CalcException.Syntax(source, i, $"{DescribeCharacter(source, i)} is not allowed in a name (names are letters, digits and '_')")
        : CalcException.Syntax(source, i, "a number, a name, an operator or a parenthesis", DescribeCharacter(source, i));

    /// <summary>The character at <paramref name="index"/>, whole even when it takes two UTF-16 units: "'🍎' (U+1F34E)", "'#'".</summary>
    public static string DescribeCharacter(string s, int index)
    {
        if (Rune.DecodeFromUtf16(s.AsSpan(index), out var rune, out _) != System.Buffers.OperationStatus.Done)
            return $"an invalid character (U+{(int)s[index]:X4})";
        string text = rune.ToString();
        return rune.IsAscii && !Rune.IsControl(rune) ? $"'{text}'" : Rune.IsControl(rune) ? $"U+{rune.Value:X4}" : $"'{text}' (U+{rune.Value:X4})";
    }

    /// <summary>The first character of <paramref name="name"/> that a name cannot contain (or start with), or −1.</summary>
    public static int FirstBadNameCharacter(string name)
    {
        if (name.Length == 0) return -1;
        if (!IsIdentifierStart(name[0])) return 0;
        for (int i = 1; i < name.Length; i++)
            if (!IsIdentifierPart(name[i])) return i;
        return -1;
    }

    /// <summary>Whether <paramref name="s"/> is a whole identifier.</summary>
    public static bool IsIdentifier(string s) => s.Length > 0 && IsIdentifierStart(s[0]) && s.All(IsIdentifierPart);

    /// <summary>The number's value; the lexer has already checked its shape.</summary>
    public static double ParseNumber(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>
    /// Whether a number written with a non-zero digit before its exponent (1e-400) was rounded to 0 by parsing: too
    /// small for a double, so it would silently act as 0, as a number too large would act as infinity.
    /// </summary>
    /// <param name="text">The number as written.</param>
    /// <param name="value">What it parsed to.</param>
    public static bool UnderflowsToZero(string text, double value)
    {
        if (value != 0) return false;
        int exponent = text.IndexOfAny(['e', 'E']);
        foreach (char c in exponent < 0 ? text : text[..exponent])
            if (c is >= '1' and <= '9') return true;
        return false;
    }

    /// <summary>The error for a ',' anywhere: every function takes one argument.</summary>
    public static CalcException Comma(string source, int i) =>
        CalcException.Syntax(source, i, "',' is not allowed: functions take one argument, e.g. exp(x)");

    private static int ScanNumber(string s, int i)
    {
        while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
        if (i < s.Length && s[i] == '.')
        {
            i++;
            while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
        }
        if (i < s.Length && (s[i] == 'e' || s[i] == 'E'))
        {
            int j = i + 1;
            if (j < s.Length && (s[j] == '+' || s[j] == '-')) j++;
            if (j < s.Length && char.IsAsciiDigit(s[j]))
            {
                while (j < s.Length && char.IsAsciiDigit(s[j])) j++;
                i = j;
            }
            else
            {
                throw CalcException.Syntax(s, j, "the digits of an exponent", j < s.Length ? $"'{s[j]}'" : "the end of the program");
            }
        }
        return i;
    }
}
