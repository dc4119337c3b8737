using SkiaSharp;

namespace Observatoire.Reporting.Document.Layout;

/// <summary>Loads the report typefaces by family name and fails clearly when they are not installed.</summary>
internal static class ReportFonts
{
    /// <summary>The one family used for all printed text (Book and Bold).</summary>
    public const string Family = "DejaVu Sans";

    /// <summary>Returns the installed typeface of <paramref name="family"/> in <paramref name="style"/>, or throws.</summary>
    public static SKTypeface Load(string family, SKFontStyle style)
    {
        var typeface = SKFontManager.Default.MatchFamily(family, style);
        var wantsBold = style.Weight >= (int)SKFontStyleWeight.SemiBold;
        if (typeface is null
            || !string.Equals(typeface.FamilyName, family, StringComparison.OrdinalIgnoreCase)
            || (wantsBold && typeface.FontStyle.Weight < (int)SKFontStyleWeight.SemiBold))
        {
            typeface?.Dispose();
            var weight = wantsBold ? "Bold" : "Book";
            throw new InvalidOperationException(
                $"The font \"{family} {weight}\" is not installed; the PDF report needs it. " +
                "Install the DejaVu fonts (Debian/Ubuntu: apt-get install fonts-dejavu-core, " +
                "files in /usr/share/fonts/truetype/dejavu/).");
        }

        return typeface;
    }
}
