using Observatoire.Core.Consolidation;
using Observatoire.Core.Exports;
using Observatoire.Core.Periods;
using Observatoire.Server.Aggregates;
using Observatoire.Server.Grpc;
using Observatoire.Core.Access;
using Api = Observatoire.Protos.V1;

namespace Observatoire.Server.Exports;

/// <summary>A file made by an export: its bytes and the name the server gives it.</summary>
internal sealed record ExportFile(byte[] Bytes, string FileName);

/// <summary>
/// Exports the published figures of every area of a level. Each figure comes from <see cref="PublishedFigures.Publish"/>
/// with publication disclosure, whoever calls: an export never carries a raw or a post-level figure, and a secret cell
/// leaves only as its confidentiality status.
/// </summary>
internal sealed class FigureExports(ConsolidationState state, AggregateQueries queries, TimeProvider clock)
{
    public async Task<ExportFile> ExportAsync(Api.ExportFiguresRequest request, CallerScope caller, CancellationToken ct)
    {
        if (request.Format == Api.ExportFormat.OpenData)
        {
            return await OpenDataAsync(request, caller, ct);
        }

        var level = request.Level switch
        {
            Api.AreaLevel.National => AreaLevel.National,
            Api.AreaLevel.Region => AreaLevel.Region,
            Api.AreaLevel.Department => AreaLevel.Department,
            _ => throw RpcErrors.InvalidField("level", "NIVEAU_EXPORT", "Le niveau d'un export est national, région ou département (jamais le poste)."),
        };
        if (request.Format is not (Api.ExportFormat.SdmxCsv or Api.ExportFormat.SdmxJson or Api.ExportFormat.Csv or Api.ExportFormat.SdmxStructure))
        {
            throw RpcErrors.InvalidField("format", "FORMAT_EXPORT", "Le format d'export est SDMX-CSV, SDMX-JSON, CSV ou la structure SDMX.");
        }

        var period = queries.ParsePeriod(request.Period, "period");
        var published = await queries.FiguresAsync(request.AsOf, caller, AreaRef.National, level, ct);
        if (request.Format == Api.ExportFormat.SdmxStructure)
        {
            return Structure(published, period);
        }

        var areas = AreasOf(level);

        // Every area is checked before any figure is read: an export is all of the level or nothing.
        foreach (var area in areas)
        {
            await queries.DecideAsync(caller, area.Ref, Api.Disclosure.Publication, null, $"Export {area.Ref} {period}", ct);
        }

        var table = Table(published, areas, period, request.Cells, request.ExcludePartial, ct);
        return Write(request.Format, published, level, areas, table);
    }

    /// <summary>
    /// Every export of a year from these figures, each the very file ExportFigures gives for the same instant, all cells
    /// and partial figures kept: the SDMX structure, then the nation, the regions and the departments in SDMX-CSV,
    /// SDMX-JSON and CSV. An edition stores their checksums.
    /// </summary>
    public IReadOnlyList<ExportFile> YearExports(PublishedFigures published, int year, CancellationToken ct)
    {
        var period = Period.OfYear(year);
        var files = new List<ExportFile> { Structure(published, period) };
        foreach (var level in new[] { AreaLevel.National, AreaLevel.Region, AreaLevel.Department })
        {
            var areas = AreasOf(level);
            var table = Table(published, areas, period, [], excludePartial: false, ct);
            files.AddRange(new[] { Api.ExportFormat.SdmxCsv, Api.ExportFormat.SdmxJson, Api.ExportFormat.Csv }
                .Select(format => Write(format, published, level, areas, table)));
        }

        return files;
    }

    /// <summary>The SDMX structure of the period's grid version; it holds no figure: every area of the hierarchy is in its area codelist.</summary>
    private ExportFile Structure(PublishedFigures published, Period period)
    {
        var schema = published.Figures(AreaRef.National, period).Schema;
        var all = AreasOf(AreaLevel.National).Concat(AreasOf(AreaLevel.Region)).Concat(AreasOf(AreaLevel.Department)).Select(a => a.Export);
        return new ExportFile(
            SdmxStructureWriter.ToBytes(new SdmxStructure(schema, all), $"DSD-ISCG-{schema.Version}", published.Now(clock)),
            $"structure-sdmx-{schema.Version}.json");
    }

    /// <summary>A level's table in a data format (SDMX-CSV, SDMX-JSON or French CSV), named after the level and the period.</summary>
    private ExportFile Write(Api.ExportFormat format, PublishedFigures published, AreaLevel level, IReadOnlyList<(AreaRef Ref, ExportArea Export)> areas, FigureTable table)
    {
        var structure = new SdmxStructure(table.Schema, areas.Select(a => a.Export));
        var name = $"chiffres-{FrenchCsvWriter.LevelName(level)}-{table.Period}";
        return format switch
        {
            Api.ExportFormat.SdmxCsv => new ExportFile(SdmxCsvWriter.ToBytes(table, structure), name + ".sdmx.csv"),
            Api.ExportFormat.SdmxJson => new ExportFile(
                SdmxJsonDataWriter.ToBytes(table, structure, $"ISCG-{FrenchCsvWriter.LevelName(level)}-{table.Period}", published.Now(clock)), name + ".sdmx.json"),
            _ => new ExportFile(FrenchCsvWriter.ToBytes(table), name + ".csv"),
        };
    }

    /// <summary>The year's open data package, zipped: every area of every level, all cells, published figures only.</summary>
    private async Task<ExportFile> OpenDataAsync(Api.ExportFiguresRequest request, CallerScope caller, CancellationToken ct)
    {
        var period = queries.ParsePeriod(request.Period, "period");
        if (period.Kind != PeriodKind.Year)
        {
            throw RpcErrors.InvalidField("period", "PERIODE_ANNEE", "Le jeu de données ouvertes porte sur une année (AAAA).");
        }

        var published = await queries.FiguresAsync(request.AsOf, caller, AreaRef.National, AreaLevel.Department, ct);

        var levels = new[] { AreaLevel.National, AreaLevel.Region, AreaLevel.Department };
        foreach (var area in levels.SelectMany(AreasOf))
        {
            await queries.DecideAsync(caller, area.Ref, Api.Disclosure.Publication, null, $"Données ouvertes {area.Ref} {period}", ct);
        }

        return OpenData(published, period.Year, ct);
    }

    /// <summary>The open data package of a year from these figures, dated at their instant (the same bytes for the same cut-off).</summary>
    public ExportFile OpenData(PublishedFigures published, int year, CancellationToken ct)
    {
        var period = Period.OfYear(year);
        var levels = new[] { AreaLevel.National, AreaLevel.Region, AreaLevel.Department };
        var tables = levels.Select(level => Table(published, AreasOf(level), period, [], excludePartial: false, ct)).ToList();
        var now = published.Now(clock);
        var files = OpenDataPackage.Build(period.Year, tables, published.Threshold, tables[0].Schema.Title, now);
        using var zip = new MemoryStream();
        using (var archive = new System.IO.Compression.ZipArchive(zip, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var file in files)
            {
                var entry = archive.CreateEntry(file.Path, System.IO.Compression.CompressionLevel.Optimal);

                // Dated at the figures' instant, not at the writing: the same cut-off gives the same archive.
                entry.LastWriteTime = now;
                using var stream = entry.Open();
                stream.Write(file.Bytes);
            }
        }

        return new ExportFile(zip.ToArray(), $"donnees-ouvertes-{period.Year}.zip");
    }

    /// <summary>The published figures of these areas, through the same path as every published read.</summary>
    public static FigureTable Table(PublishedFigures published, IReadOnlyList<(AreaRef Ref, ExportArea Export)> areas, Period period, IReadOnlyCollection<string> requestedCells, bool excludePartial, CancellationToken ct)
    {
        var observations = new List<ExportObservation>();
        Core.Schemas.GridSchema? schema = null;
        foreach (var (area, export) in areas)
        {
            ct.ThrowIfCancellationRequested();
            var figures = published.Figures(area, period);
            schema ??= figures.Schema;
            foreach (var cell in AggregateArguments.SelectCells(figures.Schema, requestedCells, "cells"))
            {
                var value = published.Publish(figures, cell, raw: false, excludePartial, waitForPlan: true);
                observations.Add(new ExportObservation(export, cell, value.Value, value.Status, value.PartialExcluded, value.Confidentiality));
            }
        }

        return new FigureTable(schema!, period, observations);
    }

    /// <summary>The areas of a level, in code order, with their export names.</summary>
    public IReadOnlyList<(AreaRef Ref, ExportArea Export)> AreasOf(AreaLevel level)
    {
        var registry = state.Registry;
        return level switch
        {
            AreaLevel.National => [(AreaRef.National, new ExportArea(AreaLevel.National, "", "France"))],
            AreaLevel.Region => [.. registry.Regions.Values.OrderBy(r => r.Code, StringComparer.Ordinal)
                .Select(r => (new AreaRef(AreaLevel.Region, r.Code), new ExportArea(AreaLevel.Region, r.Code, r.Name)))],
            _ => [.. registry.Departments.Values.OrderBy(d => d.Code, StringComparer.Ordinal)
                .Select(d => (new AreaRef(AreaLevel.Department, d.Code), new ExportArea(AreaLevel.Department, d.Code, d.Name)))],
        };
    }
}
