using System.Globalization;
using System.Text;

namespace SharpGrad.IO;

/// <summary>
/// The dictionary at the start of an <c>.npy</c> file, such as
/// <c>{'descr': '&lt;f4', 'fortran_order': False, 'shape': (2, 3), }</c>: element type and byte order,
/// memory order and dimensions.
/// </summary>
/// <param name="DType">The element type: float32 for <c>f4</c>, float64 for <c>f8</c>.</param>
/// <param name="BigEndian">True for <c>'&gt;'</c> byte order; false for <c>'&lt;'</c>, <c>'='</c> or <c>'|'</c>.</param>
/// <param name="FortranOrder">True when the data is stored column-major (first index fastest).</param>
/// <param name="Shape">The dimensions (empty for a scalar).</param>
internal readonly record struct NpyHeader(DType DType, bool BigEndian, bool FortranOrder, int[] Shape)
{
    /// <summary>The largest header that is read, as NumPy's <c>max_header_size</c> default: a bigger one is refused, not allocated.</summary>
    public const int MaxHeaderLength = 10_000;

    /// <summary>The bytes per element.</summary>
    public int ElementSize => DType == DType.Float32 ? 4 : 8;

    /// <summary>
    /// Formats the header dictionary for a little-endian, C-order array, padded with spaces and ended by '\n' so
    /// that the preamble (magic, version, length field) plus the header is a multiple of 64 bytes.
    /// </summary>
    /// <param name="preambleLength">10 for version 1.0 (2-byte length field), 12 for 2.0 and 3.0.</param>
    /// <returns>The header text.</returns>
    public string Format(int preambleLength)
    {
        var shape = Shape.Length == 1
            ? $"({Shape[0].ToString(CultureInfo.InvariantCulture)},)"
            : "(" + string.Join(", ", Shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + ")";
        var dict = $"{{'descr': '{(BigEndian ? '>' : '<')}f{ElementSize}', 'fortran_order': {(FortranOrder ? "True" : "False")}, 'shape': {shape}, }}";
        int total = preambleLength + dict.Length + 1;
        int padding = (64 - total % 64) % 64;
        return dict + new string(' ', padding) + "\n";
    }

    /// <summary>Parses the header text (a Python dict literal with the keys descr, fortran_order and shape).</summary>
    /// <param name="text">The header, decoded as Latin-1 (versions 1.0, 2.0) or UTF-8 (3.0).</param>
    /// <returns>The header.</returns>
    /// <exception cref="FormatException">The text is not such a dictionary, or names an unsupported type; the message says why.</exception>
    public static NpyHeader Parse(string text)
    {
        var p = new Parser(text);
        var dict = p.ParseDict();
        p.SkipSpace();
        if (!p.AtEnd) throw new FormatException($"unexpected text after the header dictionary at offset {p.Position}");
        foreach (var key in dict.Keys)
            if (key is not ("descr" or "fortran_order" or "shape"))
                throw new FormatException($"unexpected key '{key}' in the header dictionary");
        if (!dict.TryGetValue("descr", out var descrValue) || descrValue is not string descr)
            throw new FormatException("the header has no 'descr' string");
        if (!dict.TryGetValue("fortran_order", out var fortranValue) || fortranValue is not bool fortran)
            throw new FormatException("the header has no 'fortran_order' True/False");
        if (!dict.TryGetValue("shape", out var shapeValue) || shapeValue is not List<long> dims)
            throw new FormatException("the header has no 'shape' tuple");

        if (descr.Length != 3 || descr[0] is not ('<' or '>' or '=' or '|'))
            throw new FormatException($"unsupported dtype '{descr}': SharpGrad reads float32 ('<f4', '>f4') and float64 ('<f8', '>f8')");
        var dtype = descr[1..] switch
        {
            "f4" => DType.Float32,
            "f8" => DType.Float64,
            _ => throw new FormatException($"unsupported dtype '{descr}': SharpGrad reads float32 ('<f4', '>f4') and float64 ('<f8', '>f8')"),
        };
        var shape = new int[dims.Count];
        for (int i = 0; i < dims.Count; i++)
        {
            if (dims[i] < 0) throw new FormatException($"negative dimension {dims[i]} in shape");
            if (dims[i] > Array.MaxLength) throw new FormatException($"dimension {dims[i]} is larger than a SharpGrad tensor can hold");
            shape[i] = (int)dims[i];
        }
        return new NpyHeader(dtype, descr[0] == '>', fortran, shape);
    }

    /// <summary>The shape as NumPy prints it, such as <c>(2, 3)</c>.</summary>
    /// <returns>The text.</returns>
    public string FormatShape() => "(" + string.Join(", ", Shape) + (Shape.Length == 1 ? ",)" : ")");

    /// <summary>A recursive-descent reader of the small Python literal subset NumPy writes: dicts, strings, booleans, integer tuples.</summary>
    private sealed class Parser(string text)
    {
        public int Position { get; private set; }

        public bool AtEnd => Position >= text.Length;

        public void SkipSpace()
        {
            while (!AtEnd && char.IsWhiteSpace(text[Position])) Position++;
        }

        public Dictionary<string, object> ParseDict()
        {
            SkipSpace();
            Expect('{');
            var dict = new Dictionary<string, object>(StringComparer.Ordinal);
            while (true)
            {
                SkipSpace();
                if (TryTake('}')) return dict;
                var key = ParseString();
                SkipSpace();
                Expect(':');
                SkipSpace();
                if (!dict.TryAdd(key, ParseValue())) throw new FormatException($"key '{key}' appears twice in the header dictionary");
                SkipSpace();
                if (TryTake('}')) return dict;
                Expect(',');
            }
        }

        private object ParseValue()
        {
            if (AtEnd) throw new FormatException("the header dictionary ends in the middle of a value");
            char c = text[Position];
            if (c is '\'' or '"') return ParseString();
            if (c == '(') return ParseTuple();
            if (TryWord("True")) return true;
            if (TryWord("False")) return false;
            throw new FormatException($"unexpected '{c}' at offset {Position} of the header dictionary");
        }

        private List<long> ParseTuple()
        {
            Expect('(');
            var items = new List<long>();
            while (true)
            {
                SkipSpace();
                if (TryTake(')')) return items;
                items.Add(ParseInteger());
                SkipSpace();
                if (TryTake(')')) return items;
                Expect(',');
            }
        }

        private long ParseInteger()
        {
            int start = Position;
            if (!AtEnd && text[Position] == '-') Position++;
            while (!AtEnd && char.IsAsciiDigit(text[Position])) Position++;
            var digits = text[start..Position];
            if (!AtEnd && text[Position] is 'L' or 'l') Position++; // Python 2 long literals, as in old files
            if (!long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
                throw new FormatException(digits.Length == 0 || digits == "-"
                    ? $"expected a whole number at offset {start} of the header dictionary"
                    : $"dimension {digits} is larger than a SharpGrad tensor can hold");
            return value;
        }

        private string ParseString()
        {
            if (AtEnd || text[Position] is not ('\'' or '"')) throw new FormatException($"expected a quoted string at offset {Position} of the header dictionary");
            char quote = text[Position++];
            var sb = new StringBuilder();
            while (true)
            {
                if (AtEnd) throw new FormatException("unterminated string in the header dictionary");
                char c = text[Position++];
                if (c == quote) return sb.ToString();
                if (c == '\\') throw new FormatException("escape sequences are not expected in the header dictionary");
                sb.Append(c);
            }
        }

        private bool TryWord(string word)
        {
            if (string.CompareOrdinal(text, Position, word, 0, word.Length) != 0) return false;
            Position += word.Length;
            return true;
        }

        private bool TryTake(char c)
        {
            if (AtEnd || text[Position] != c) return false;
            Position++;
            return true;
        }

        private void Expect(char c)
        {
            if (!TryTake(c))
                throw new FormatException(AtEnd
                    ? $"the header dictionary ends where '{c}' was expected"
                    : $"expected '{c}' but found '{text[Position]}' at offset {Position} of the header dictionary");
        }
    }
}
