using System.Globalization;
using System.Text;

namespace SharpGrad.Cli.Calc;

/// <summary>How wide text is: in characters (for columns in messages) and on a terminal (for aligning tables and carets).</summary>
internal static class TextWidth
{
    /// <summary>The number of characters (Unicode scalar values) in <paramref name="text"/>, so "x🍎" is 2, not 3.</summary>
    public static int Characters(ReadOnlySpan<char> text)
    {
        int n = 0;
        foreach (var _ in text.EnumerateRunes()) n++;
        return n;
    }

    /// <summary>
    /// Terminal columns: 2 for East Asian wide and full-width characters and emoji, 0 for combining marks and
    /// format characters, 1 otherwise. A simple table, not full UAX #11, but enough to keep CJK names aligned.
    /// </summary>
    public static int Display(string text)
    {
        int width = 0;
        foreach (var rune in text.EnumerateRunes()) width += Display(rune);
        return width;
    }

    /// <summary><paramref name="text"/> followed by spaces up to <paramref name="width"/> terminal columns.</summary>
    public static string PadRight(string text, int width) => text + new string(' ', Math.Max(0, width - Display(text)));

    /// <summary>Spaces up to <paramref name="width"/> terminal columns, then <paramref name="text"/>.</summary>
    public static string PadLeft(string text, int width) => new string(' ', Math.Max(0, width - Display(text))) + text;

    private static int Display(Rune r)
    {
        var category = Rune.GetUnicodeCategory(r);
        if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format) return 0;
        int v = r.Value;
        bool wide =
            (v >= 0x1100 && v <= 0x115F) ||   // Hangul Jamo
            (v >= 0x2E80 && v <= 0x303E) ||   // CJK radicals, punctuation
            (v >= 0x3041 && v <= 0x33FF) ||   // kana, CJK symbols
            (v >= 0x3400 && v <= 0x4DBF) ||   // CJK extension A
            (v >= 0x4E00 && v <= 0x9FFF) ||   // CJK unified ideographs
            (v >= 0xA000 && v <= 0xA4CF) ||   // Yi
            (v >= 0xAC00 && v <= 0xD7A3) ||   // Hangul syllables
            (v >= 0xF900 && v <= 0xFAFF) ||   // CJK compatibility ideographs
            (v >= 0xFE30 && v <= 0xFE4F) ||   // CJK compatibility forms
            (v >= 0xFF00 && v <= 0xFF60) ||   // full-width forms
            (v >= 0xFFE0 && v <= 0xFFE6) ||
            (v >= 0x1F300 && v <= 0x1F64F) || // pictographs, emoticons
            (v >= 0x1F900 && v <= 0x1F9FF) ||
            (v >= 0x20000 && v <= 0x3FFFD);   // CJK extensions B and beyond
        return wide ? 2 : 1;
    }
}
