using Observatoire.Cli.Grids;
using Observatoire.Protos.V1;
using Observatoire.Workbooks;

namespace Observatoire.Cli.Workbooks;

/// <summary>A filled workbook read by the shared <see cref="WorkbookReader"/>, as the grid files the commands send.</summary>
public static class WorkbookGridReader
{
    /// <summary>Reads the workbook at <paramref name="path"/>: one grid per filled period sheet.</summary>
    public static GridFileResult Read(string path)
    {
        var reading = WorkbookReader.Read(path);
        var grids = reading.Grids.Select(g =>
        {
            var grid = new Grid { PostId = g.PostId, Period = g.Period, SchemaVersion = g.SchemaVersion, Comment = g.Comment };
            foreach (var (cell, value) in g.Values)
            {
                grid.Values[cell] = value;
            }

            return new GridEntry(grid, path, g.Index, 0) { Sheet = g.Sheet, Locate = g.Cells.Locate, SchemaFingerprint = g.SchemaFingerprint };
        }).ToList();
        var errors = reading.Problems.Select(p => new GridFileError(path, null, p.CellPath, p.Message, p.Index, p.Place)).ToList();
        return new GridFileResult(path, grids, errors, reading.InvalidSheets);
    }
}
