using ClosedXML.Excel;
using Observatoire.Protos.V1;
using Observatoire.Workbooks;

namespace Observatoire.Cli.Workbooks;

/// <summary>
/// The year at a glance: each indicator total by period, and the yearly grid set against its sub-periods as the
/// indicator's aggregation says (a flow adds up, a stock is the last period's, distinct persons lie between the
/// largest period and the sum of the periods).
/// </summary>
internal static class SummaryWriter
{
    public static void Write(IXLWorksheet sheet, WorkbookPlan plan, IReadOnlyList<PeriodSheet> sheets)
    {
        var year = sheets.LastOrDefault(s => s.Period.IsYear);
        var parts = sheets.Where(s => !s.Period.IsYear).ToList();
        var yearSchema = year?.Schema ?? sheets[^1].Schema;

        sheet.Cell(1, 1).SetValue<string>($"Récapitulatif de l'année {plan.Year} (calculé à partir des feuilles, rien à saisir ici)");
        sheet.Cell(1, 1).Style.Font.Bold = true;
        sheet.Cell(1, 1).Style.Font.FontSize = 14;
        sheet.Column(1).Width = 44;
        var row = 3;
        var column = 2;
        sheet.Cell(row, 1).SetValue<string>("Indicateur");
        foreach (var part in parts)
        {
            sheet.Cell(row, column++).SetValue<string>(part.Period.SheetName);
        }

        var sumColumn = column++;
        var maxColumn = column++;
        var yearColumn = column++;
        var checkColumn = column;
        sheet.Cell(row, sumColumn).SetValue<string>("Somme des périodes");
        sheet.Cell(row, maxColumn).SetValue<string>("Plus forte période");
        sheet.Cell(row, yearColumn).SetValue<string>(year?.Period.SheetName ?? "Année");
        sheet.Cell(row, checkColumn).SetValue<string>("Bilan annuel et périodes");
        sheet.Columns(2, checkColumn).Width = 12;
        sheet.Column(checkColumn).Width = 48;
        var header = sheet.Range(row, 1, row, checkColumn);
        header.Style.Font.Bold = true;
        header.Style.Alignment.WrapText = true;
        header.Style.Fill.BackgroundColor = GridWorkbookWriter.TotalFill;

        foreach (var indicator in SchemaCells.Indicators(yearSchema).Where(i => i.HasTotal))
        {
            row++;
            sheet.Cell(row, 1).SetValue<string>(indicator.Label);
            var cells = new List<string>();
            column = 2;
            foreach (var part in parts)
            {
                var cell = sheet.Cell(row, column++);
                if (part.AddressOf(indicator.Code) is { } address)
                {
                    var reference = WorkbookFormat.Reference(part.Period.SheetName, address);
                    cell.FormulaA1 = $"IF(COUNT({reference})=0,\"\",{reference})";
                    cells.Add(cell.Address.ToStringRelative());
                }
            }

            if (cells.Count == 0)
            {
                continue;
            }

            var range = $"{cells[0]}:{cells[^1]}";
            var sum = sheet.Cell(row, sumColumn);
            sum.FormulaA1 = $"IF(COUNT({range})=0,\"\",SUM({range}))";
            var max = sheet.Cell(row, maxColumn);
            max.FormulaA1 = $"IF(COUNT({range})=0,\"\",MAX({range}))";
            var yearCell = sheet.Cell(row, yearColumn);
            if (year?.AddressOf(indicator.Code) is not { } yearAddress)
            {
                continue;
            }

            var yearReference = WorkbookFormat.Reference(year.Period.SheetName, yearAddress);
            yearCell.FormulaA1 = $"IF(COUNT({yearReference})=0,\"\",{yearReference})";
            var y = yearCell.Address.ToStringRelative();
            var s = sum.Address.ToStringRelative();
            var m = max.Address.ToStringRelative();
            var last = cells[^1];
            var check = indicator.Aggregation switch
            {
                Aggregation.Sum => $"IF({y}={s},\"{GridWorkbookWriter.OkStatus}\",\"{GridWorkbookWriter.WarningStatus} : l'année devrait valoir la somme des périodes\")",
                Aggregation.Last => $"IF({last}=\"\",\"\",IF({y}={last},\"{GridWorkbookWriter.OkStatus}\",\"{GridWorkbookWriter.WarningStatus} : l'année devrait valoir la dernière période\"))",
                Aggregation.None => $"IF(AND({y}>={m},{y}<={s}),\"{GridWorkbookWriter.OkStatus}\",\"{GridWorkbookWriter.WarningStatus} : entre la plus forte période et la somme des périodes\")",
                _ => null,
            };
            if (check is not null)
            {
                var checkCell = sheet.Cell(row, checkColumn);
                checkCell.FormulaA1 = $"IF(OR({y}=\"\",{s}=\"\"),\"\",{check})";
                checkCell.AddConditionalFormat().WhenStartsWith(GridWorkbookWriter.WarningStatus).Fill.SetBackgroundColor(XLColor.FromHtml("#FCE4B6"));
                checkCell.AddConditionalFormat().WhenEquals($"\"{GridWorkbookWriter.OkStatus}\"").Fill.SetBackgroundColor(XLColor.FromHtml("#CDEBC6"));
            }
        }

        sheet.SheetView.FreezeRows(3);
        GridWorkbookWriter.Protect(sheet);
    }
}
