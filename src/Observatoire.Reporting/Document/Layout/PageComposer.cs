using SkiaSharp;

namespace Observatoire.Reporting.Document.Layout;

/// <summary>A laid-out page: drawing operations for its body, and the title shown in its running header.</summary>
internal sealed class PageLayout(string? runningTitle)
{
    public string? RunningTitle { get; set; } = runningTitle;

    public List<Action<SKCanvas>> Operations { get; } = [];
}

/// <summary>
/// Flows blocks down the body area of successive pages. Vertical space between blocks collapses
/// (the larger of the two wins) and is dropped at the top of a page.
/// </summary>
internal sealed class PageComposer
{
    private const float Tolerance = 0.01f;
    private PageLayout? _current;
    private float _y;
    private float _pendingSpace;
    private bool _hasContent;

    public List<PageLayout> Pages { get; } = [];

    /// <summary>Title given to the running header of pages opened from now on.</summary>
    public string? RunningTitle { get; set; }

    /// <summary>Zero-based index of the current page (opens one if none).</summary>
    public int PageIndex
    {
        get
        {
            EnsurePage();
            return Pages.Count - 1;
        }
    }

    /// <summary>True when nothing has been placed on the current page (or there is no page yet).</summary>
    public bool AtPageTop => _current is null || !_hasContent;

    /// <summary>Height left on the current page once the pending space is consumed.</summary>
    public float Remaining => AtPageTop ? ReportTheme.BodyHeight : ReportTheme.BodyBottom - _y - _pendingSpace;

    public void NewPage()
    {
        _current = new PageLayout(RunningTitle);
        Pages.Add(_current);
        _y = ReportTheme.BodyTop;
        _pendingSpace = 0;
        _hasContent = false;
    }

    /// <summary>Opens a new page unless the current one is still empty.</summary>
    public void NewPageUnlessEmpty()
    {
        if (!AtPageTop || _current is null)
        {
            NewPage();
        }
        else
        {
            _current.RunningTitle = RunningTitle;
        }
    }

    /// <summary>Asks for at least <paramref name="space"/> points before the next placed item.</summary>
    public void Space(float space) => _pendingSpace = Math.Max(_pendingSpace, space);

    /// <summary>Whether <paramref name="height"/> fits below the pending space on this page.</summary>
    public bool Fits(float height) => height <= Remaining + Tolerance;

    /// <summary>Moves to a new page when <paramref name="height"/> does not fit on this one.</summary>
    public void KeepTogether(float height)
    {
        EnsurePage();
        if (!Fits(height))
        {
            NewPage();
        }
    }

    /// <summary>Places an item of <paramref name="height"/>; <paramref name="draw"/> receives its top.</summary>
    public float Place(float height, Action<SKCanvas, float> draw)
    {
        EnsurePage();
        if (!AtPageTop)
        {
            _y += _pendingSpace;
        }

        _pendingSpace = 0;
        var top = _y;
        _current!.Operations.Add(canvas => draw(canvas, top));
        _y += height;
        _hasContent = true;
        return top;
    }

    private void EnsurePage()
    {
        if (_current is null)
        {
            NewPage();
        }
    }
}
