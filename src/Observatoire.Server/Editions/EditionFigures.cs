using Observatoire.Core.Consolidation;
using Observatoire.Data;
using Observatoire.Server.Aggregates;
using Observatoire.Server.Grpc;

namespace Observatoire.Server.Editions;

/// <summary>
/// The figures of a named edition for a report of its year: the pages' way to regenerate what an edition published
/// (the same figures as a read <c>as_of</c> its cut-off, hence the same bytes as its recorded checksum).
/// </summary>
internal sealed class EditionFigures(EditionDesk editions, FigureViews views)
{
    /// <summary>
    /// The figures as of the edition's cut-off. NOT_FOUND for an unknown edition, INVALID_ARGUMENT (field
    /// <c>edition</c>) for a name too long to be one or an edition of another year.
    /// </summary>
    /// <param name="holder">The key or account asking (its loads of figures as of an instant are bounded).</param>
    public async Task<PublishedFigures> ForReportAsync(string name, int year, string holder, CancellationToken ct) =>
        await views.AtAsync((await CheckAsync(name, year, ct)).CutOffUtc, ct, holder);

    /// <summary>The edition for a report of <paramref name="year"/>, with the refusals of <see cref="ForReportAsync"/>, its figures not loaded.</summary>
    public async Task<Data.Entities.Edition> CheckAsync(string name, int year, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length > DataLimits.EditionName)
        {
            throw RpcErrors.InvalidField("edition", "EDITION_INVALIDE", $"Un nom d'édition a au plus {DataLimits.EditionName} caractères.");
        }

        var edition = await editions.GetAsync(name, ct);
        if (edition.Year != year)
        {
            throw RpcErrors.InvalidField("edition", "EDITION_AUTRE_ANNEE", $"L'édition « {edition.Name} » porte sur l'année {edition.Year}, pas sur {year} : choisissez son année ou les chiffres d'aujourd'hui.");
        }

        return edition;
    }
}
