using Observatoire.Core.Consolidation;

namespace Observatoire.Core.Access;

/// <summary>What a caller may receive: allowed (raw or published figures) or refused with the missing right.</summary>
public sealed record AccessDecision(bool Allowed, bool Raw, string? MissingRight)
{
    public static AccessDecision Published { get; } = new(true, false, null);

    public static AccessDecision RawFigures { get; } = new(true, true, null);

    public static AccessDecision Deny(string missingRight) => new(false, false, missingRight);

    /// <summary>Raw (unsuppressed) reads are recorded in the audit log.</summary>
    public bool Audited => Allowed && Raw;
}

/// <summary>
/// The one place that decides, for a caller, an area and a requested disclosure, what may be returned.
/// Every read path (tables, series, comparisons, charts, outliers, grids, reports) and every write asks it.
/// A refusal names the missing right and nothing about the data the caller may not see.
/// </summary>
public static class AccessPolicy
{
    public const string RawRight = "lecture des chiffres bruts (réservée à l'administration nationale, et à chaque poste pour ses propres chiffres)";

    public const string PostFiguresAreRaw =
        "Les chiffres par poste ne sont pas publiés : ils ne sont accessibles qu'en mode brut (administration nationale, ou le poste pour ses propres grilles).";

    /// <summary>
    /// Figures of <paramref name="area"/>: a table, a series, a chart, or a comparison whose values are
    /// those of the children at <paramref name="valuesLevel"/> (the area's own level when null).
    /// </summary>
    public static AccessDecision ForFigures(CallerScope caller, AreaRef area, bool rawRequested, RegistrySnapshot registry, AreaLevel? valuesLevel = null)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(registry);
        var postValues = (valuesLevel ?? area.Level) == AreaLevel.Post;
        if (postValues && !rawRequested)
        {
            return AccessDecision.Deny(PostFiguresAreRaw);
        }

        return caller.Role switch
        {
            Role.Admin => rawRequested ? AccessDecision.RawFigures : AccessDecision.Published,
            Role.Poste => area.Level == AreaLevel.Post && caller.Posts.Contains(area.Code) && rawRequested
                ? AccessDecision.RawFigures
                : AccessDecision.Deny(area.Level == AreaLevel.Post
                    ? $"Droit manquant : {RawRight}."
                    : "Droit manquant : lecture des chiffres consolidés (rôles analyste et rapport) ; une clé de poste ne lit que les chiffres de ses propres postes."),
            Role.Analyste when rawRequested => AccessDecision.Deny($"Droit manquant : {RawRight}."),
            Role.Analyste => InScope(caller, area, registry) ? AccessDecision.Published : OutOfScope(caller),
            Role.Rapport => rawRequested ? AccessDecision.Deny($"Droit manquant : {RawRight}.") : AccessDecision.Published,
            _ => AccessDecision.Deny("Droit manquant : lecture des chiffres."),
        };
    }

    /// <summary>
    /// A map of every department's published figures, each drawn only where <see cref="ForFigures"/> allows it:
    /// allowed when the caller may read at least one department, else refused as a department's figures are.
    /// </summary>
    public static AccessDecision ForDepartmentMap(CallerScope caller, RegistrySnapshot registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var refused = AccessDecision.Deny("Droit manquant : lecture des chiffres départementaux.");
        foreach (var code in registry.Departments.Keys.Order(StringComparer.Ordinal))
        {
            var decision = ForFigures(caller, new AreaRef(AreaLevel.Department, code), rawRequested: false, registry);
            if (decision.Allowed)
            {
                return decision;
            }

            refused = decision;
        }

        return refused;
    }

    /// <summary>
    /// Figures as of an instant that is not a published edition's cut-off: only for a caller who may read them raw.
    /// Published figures as of any instant would let a reader subtract the table just before one grid's reception
    /// from the table just after it, and read that grid: published figures change at releases (editions), which the
    /// administration decides, not at every grid.
    /// </summary>
    public static bool ReadsAnyInstant(CallerScope caller, AreaRef area, RegistrySnapshot registry, AreaLevel? valuesLevel = null) =>
        ForFigures(caller, area, rawRequested: true, registry, valuesLevel).Allowed;

    /// <summary>Expected, received and late grids of an area (no figure values).</summary>
    public static AccessDecision ForCompleteness(CallerScope caller, AreaRef area, RegistrySnapshot registry)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(registry);
        return caller.Role switch
        {
            Role.Admin or Role.Rapport => AccessDecision.Published,
            Role.Analyste => InScope(caller, area, registry) ? AccessDecision.Published : OutOfScope(caller),
            Role.Poste when area.Level == AreaLevel.Post && caller.Posts.Contains(area.Code) => AccessDecision.Published,
            _ => AccessDecision.Deny("Droit manquant : suivi de la complétude de cette zone (une clé de poste ne suit que ses propres postes)."),
        };
    }

    /// <summary>The stored grids and revisions of a post, which are raw figures.</summary>
    public static AccessDecision ForPostGrids(CallerScope caller, string postId)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return caller.IsAdmin || caller.ActsFor(postId)
            ? AccessDecision.RawFigures
            : AccessDecision.Deny("Droit manquant : lecture des grilles de ce poste (réservée au poste lui-même et à l'administration nationale).");
    }

    /// <summary>Suspicious grids, listed with their raw per-post values.</summary>
    public static AccessDecision ForOutliers(CallerScope caller, AreaRef area)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return caller.IsAdmin || (area.Level == AreaLevel.Post && caller.ActsFor(area.Code))
            ? AccessDecision.RawFigures
            : AccessDecision.Deny($"Droit manquant : {RawRight} ; les valeurs atypiques montrent les chiffres de chaque poste.");
    }

    /// <summary>
    /// Validating or submitting a grid for a post; <paramref name="historical"/> when the client states the
    /// reception time (historical import), which only the administrator may do.
    /// </summary>
    public static AccessDecision ForSubmission(CallerScope caller, string postId, bool historical)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.IsAdmin)
        {
            return AccessDecision.RawFigures;
        }

        if (!caller.ActsFor(postId))
        {
            return AccessDecision.Deny("Droit manquant : dépôt de grilles pour ce poste (une clé de poste ne dépose que pour ses propres postes).");
        }

        return historical
            ? AccessDecision.Deny("Droit manquant : import historique (date de réception fournie par le client), réservé à l'administration nationale ; sans elle, l'horloge du serveur fait foi.")
            : AccessDecision.RawFigures;
    }

    /// <summary>The annual report: national (null department) or of one department. Always published figures.</summary>
    public static AccessDecision ForReport(CallerScope caller, string? departmentCode, RegistrySnapshot registry)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(registry);
        var area = string.IsNullOrEmpty(departmentCode) ? AreaRef.National : new AreaRef(AreaLevel.Department, departmentCode);
        return caller.Role switch
        {
            Role.Admin or Role.Rapport => AccessDecision.Published,
            Role.Analyste => InScope(caller, area, registry) ? AccessDecision.Published : OutOfScope(caller),
            _ => AccessDecision.Deny("Droit manquant : production des rapports (rôles rapport, analyste et administration)."),
        };
    }

    /// <summary>True when an analyst's scope covers the area: the nation covers all, a region its departments.</summary>
    public static bool InScope(CallerScope caller, AreaRef area, RegistrySnapshot registry)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(registry);
        if (caller.Scope is not { } scope)
        {
            return false;
        }

        return scope.Level switch
        {
            AreaLevel.National => true,
            AreaLevel.Region => area.Level switch
            {
                AreaLevel.Region => area.Code == scope.Code,
                AreaLevel.Department => registry.Contains(new AreaRef(AreaLevel.Region, scope.Code), area.Code),
                _ => false,
            },
            AreaLevel.Department => area.Level == AreaLevel.Department && area.Code == scope.Code,
            _ => false,
        };
    }

    private static AccessDecision OutOfScope(CallerScope caller) =>
        AccessDecision.Deny($"Droit manquant : lecture des chiffres de cette zone, hors de votre périmètre ({caller.Scope?.ToString() ?? "aucun"}).");
}
