using ScottPlot;
using SkiaSharp;

namespace Observatoire.Reporting.Charts;

/// <summary>
/// Colours (Okabe–Ito, safe for the common colour-vision deficiencies; viridis for continuous
/// scales), font and sizes shared by every chart.
/// </summary>
internal static class ChartStyle
{
    public const string FontName = "DejaVu Sans";

    // Okabe–Ito.
    public static readonly Color Blue = Color.FromHex("#0072B2");
    public static readonly Color Vermillion = Color.FromHex("#D55E00");
    public static readonly Color BluishGreen = Color.FromHex("#009E73");
    public static readonly Color Orange = Color.FromHex("#E69F00");
    public static readonly Color SkyBlue = Color.FromHex("#56B4E9");
    public static readonly Color ReddishPurple = Color.FromHex("#CC79A7");
    public static readonly Color Yellow = Color.FromHex("#F0E442");

    public static readonly Color Text = Color.FromHex("#1A1A1A");
    public static readonly Color MutedText = Color.FromHex("#4D4D4D");
    public static readonly Color Grey = Color.FromHex("#6E6E6E");
    public static readonly Color LightGrey = Color.FromHex("#D9D9D9");
    public static readonly Color VeryLightGrey = Color.FromHex("#F2F2F2");
    public static readonly Color Grid = Color.FromHex("#E6E6E6");
    public static readonly Color White = Color.FromHex("#FFFFFF");

    /// <summary>Text sizes in layout pixels.</summary>
    public const float TitleSize = 20f;
    public const float SubtitleSize = 14f;
    public const float NoteSize = 11.5f;
    public const float AxisLabelSize = 13f;
    public const float TickSize = 12f;
    public const float ValueLabelSize = 11.5f;
    public const float LegendSize = 12f;
    public const float PanelTitleSize = 14f;

    private static readonly Lazy<SKTypeface> RegularFace = new(() =>
        SKTypeface.FromFamilyName(FontName, SKFontStyle.Normal) ?? SKTypeface.Default);

    private static readonly Lazy<SKTypeface> BoldFace = new(() =>
        SKTypeface.FromFamilyName(FontName, SKFontStyle.Bold) ?? SKTypeface.Default);

    private static readonly Lazy<SKTypeface> ItalicFace = new(() =>
        SKTypeface.FromFamilyName(FontName, SKFontStyle.Italic) ?? SKTypeface.Default);

    public static SKTypeface Regular => RegularFace.Value;

    public static SKTypeface Bold => BoldFace.Value;

    public static SKTypeface Italic => ItalicFace.Value;

    /// <summary>Black or white, whichever reads better on <paramref name="background"/>.</summary>
    public static Color TextOn(Color background)
    {
        static double Channel(byte c)
        {
            var s = c / 255.0;
            return s <= 0.03928 ? s / 12.92 : Math.Pow((s + 0.055) / 1.055, 2.4);
        }

        var luminance = (0.2126 * Channel(background.R)) + (0.7152 * Channel(background.G)) + (0.0722 * Channel(background.B));
        return luminance > 0.25 ? Text : White;
    }

    public static SKColor ToSk(Color c) => new(c.R, c.G, c.B, c.A);

    /// <summary>A plot with the house style: font, text sizes, light grid, no clutter.</summary>
    public static Plot NewPlot()
    {
        // Fonts are named on each element: Plot.Font.Set would also change ScottPlot's
        // process-wide defaults (Fonts.Default, DefaultWeight), which turns bold text off everywhere.
        var plot = new Plot();
        plot.RenderManager.ClearCanvasBeforeEachRender = false;
        plot.FigureBackground.Color = White;
        plot.DataBackground.Color = White;
        plot.Grid.MajorLineColor = Grid;
        plot.Axes.Color(Text);
        plot.Axes.Frame(false);
        plot.Axes.Left.FrameLineStyle.IsVisible = true;
        plot.Axes.Bottom.FrameLineStyle.IsVisible = true;
        foreach (var axis in plot.Axes.GetAxes())
        {
            axis.TickLabelStyle.FontName = FontName;
            axis.Label.FontName = FontName;
            axis.TickLabelStyle.FontSize = TickSize;
            axis.TickLabelStyle.ForeColor = Text;
            axis.Label.FontSize = AxisLabelSize;
            axis.Label.Bold = false;
            axis.Label.ForeColor = Text;
            axis.MinorTickStyle.Length = 0;
            axis.MajorTickStyle.Color = LightGrey;
        }

        plot.Axes.Title.Label.FontName = FontName;
        plot.Axes.Title.Label.FontSize = PanelTitleSize;
        plot.Axes.Title.Label.Bold = true;
        plot.Axes.Title.Label.ForeColor = Text;
        plot.Legend.FontSize = LegendSize;
        plot.Legend.FontName = FontName;
        plot.Legend.FontColor = Text;
        plot.Legend.OutlineColor = LightGrey;
        plot.Legend.BackgroundColor = White.WithAlpha(0.92);
        plot.Legend.ShadowColor = Colors.Transparent;
        plot.Legend.DisplayPlottableLegendItems = false;
        return plot;
    }

    /// <summary>Shows the legend under the plot, items side by side, wrapped tightly.</summary>
    public static void ShowLegendBelow(Plot plot)
    {
        plot.Legend.Orientation = Orientation.Horizontal;
        plot.Legend.TightHorizontalWrapping = true;
        plot.Legend.Margin = new PixelPadding(0);
        var panel = plot.ShowLegend(Edge.Bottom);
        panel.Padding = new PixelPadding(0, 0, 2, 6);
    }

    /// <summary>A text plottable in the house font.</summary>
    public static ScottPlot.Plottables.Text AddText(
        Plot plot,
        string text,
        double x,
        double y,
        Alignment alignment,
        float size = ValueLabelSize,
        Color? color = null,
        bool bold = false,
        float offsetX = 0,
        float offsetY = 0)
    {
        var label = plot.Add.Text(text, x, y);
        label.LabelFontName = FontName;
        label.LabelFontSize = size;
        label.LabelFontColor = color ?? Text;
        label.LabelBold = bold;
        label.LabelAlignment = alignment;
        label.LabelBackgroundColor = Colors.Transparent;
        label.LabelBorderColor = Colors.Transparent;
        label.LabelBorderWidth = 0;
        label.LabelPadding = 0;
        label.OffsetX = offsetX;
        label.OffsetY = offsetY;
        return label;
    }
}
