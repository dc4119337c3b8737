namespace Observatoire.Reporting.Document.Layout;

/// <summary>Starts a new page unless the current one is still empty.</summary>
internal sealed class PageBreakFlow : BlockFlow
{
    public override float LeadHeight => 0;

    public override void Flow(PageComposer composer) => composer.NewPageUnlessEmpty();
}
