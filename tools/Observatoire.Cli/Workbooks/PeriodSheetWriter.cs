using System.Globalization;
using ClosedXML.Excel;
using Observatoire.Protos.V1;
using Observatoire.Workbooks;

namespace Observatoire.Cli.Workbooks;

/// <summary>A period sheet once written: where its inputs, comment and state are.</summary>
public sealed class PeriodSheet(WorkbookPeriod period, Schema schema)
{
    public WorkbookPeriod Period { get; } = period;

    public Schema Schema { get; } = schema;

    /// <summary>Input cells in schema order: cell path and address ("B12").</summary>
    public List<(string Path, string Address)> Inputs { get; } = [];

    /// <summary>Address of the comment cell, when the schema takes a comment.</summary>
    public string? CommentAddress { get; set; }

    /// <summary>Address of the cell that sums up the sheet's state.</summary>
    public string StatusAddress { get; set; } = "B4";

    /// <summary>The address of a cell path, or null.</summary>
    public string? AddressOf(string path) => Inputs.FirstOrDefault(i => i.Path == path).Address;
}

/// <summary>Writes one period's grid as a person fills it on paper: sections in order, tables with live totals, checks.</summary>
internal sealed class PeriodSheetWriter
{
    private const int LabelColumn = 1;
    private const int FirstValueColumn = 2;
    private const string StatusAddress = "B4";
    private const string FilledCountAddress = "E4";
    private const string EqualMark = "✓";
    private const string DifferentMark = "✗";

    private readonly IXLWorksheet _sheet;
    private readonly Schema _schema;
    private readonly PeriodSheet _result;
    private readonly List<Action> _deferred = [];
    private readonly Grid? _prefill;
    private int _row;

    private PeriodSheetWriter(IXLWorksheet sheet, Schema schema, PeriodSheet result, Grid? prefill)
    {
        _prefill = prefill;
        _sheet = sheet;
        _schema = schema;
        _result = result;
    }

    public static PeriodSheet Write(XLWorkbook workbook, WorkbookPlan plan, WorkbookPeriod period, Schema schema)
    {
        var result = new PeriodSheet(period, schema) { StatusAddress = StatusAddress };
        var writer = new PeriodSheetWriter(workbook.Worksheets.Add(period.SheetName), schema, result, plan.Prefill?.GetValueOrDefault(period.Code));
        writer.WriteAll(period);
        return result;
    }

    private long MaxValue => _schema.MaxValue is > 0 and <= int.MaxValue ? _schema.MaxValue : int.MaxValue;

    private void WriteAll(WorkbookPeriod period)
    {
        _sheet.Column(LabelColumn).Width = 50;
        _sheet.Columns(FirstValueColumn, FirstValueColumn + 8).Width = 15;
        var title = _sheet.Cell(1, 1);
        title.SetValue<string>($"Grille statistique ISCG — {period.Label}");
        title.Style.Font.Bold = true;
        title.Style.Font.FontSize = 14;
        var post = WorkbookFormat.Reference(GridWorkbookWriter.GuideSheet, GridWorkbookWriter.PostAddress);
        _sheet.Cell(2, 1).FormulaA1 = $"\"Poste : \"&IF({post}=\"\",\"(à saisir dans « {GridWorkbookWriter.GuideSheet} »)\",{post})";
        _sheet.Cell(3, 1).Value =
            $"Grille {_schema.Version} · nombres entiers de 0 à {MaxValue.ToString("N0", CultureInfo.GetCultureInfo("fr-FR"))} dans les cases jaunes ; une case vide n'est pas envoyée.";
        _sheet.Cell(3, 1).Style.Font.FontColor = XLColor.Gray;
        _sheet.Cell(4, 1).SetValue<string>("État de la feuille");
        _sheet.Cell(4, 1).Style.Font.Bold = true;
        _sheet.Cell(4, 4).SetValue<string>("Cases remplies");
        _row = 6;

        string? commentLabel = null;
        foreach (var section in _schema.Sections)
        {
            var totals = section.Indicators.Where(i => i.HasTotal).ToList();
            var breakdowns = SchemaCells.Indicators(_schema)
                .SelectMany(i => i.Breakdowns.Select(b => (Indicator: i, Breakdown: b)))
                .Where(x => SectionOf(x.Indicator, x.Breakdown) == section.Code)
                .ToList();
            if (totals.Count == 0 && breakdowns.Count == 0)
            {
                commentLabel ??= $"{section.Code}. {section.Label}";
                continue;
            }

            GridWorkbookWriter.Header(_sheet.Range(_row, 1, _row, FirstValueColumn + 4), $"{section.Code}. {section.Label}");
            _row++;
            foreach (var indicator in totals)
            {
                Label(_sheet.Cell(_row, LabelColumn), indicator.Label, indicator.Description);
                Input(_sheet.Cell(_row, FirstValueColumn), indicator.Code);
                _sheet.Cell(_row, FirstValueColumn + 1).SetValue<string>(indicator.Unit);
                _sheet.Cell(_row, FirstValueColumn + 1).Style.Font.FontColor = XLColor.Gray;
                _row++;
            }

            foreach (var (indicator, breakdown) in breakdowns)
            {
                _row++;
                if (breakdown.Dimensions.Count == 1)
                {
                    WriteList(indicator, breakdown);
                }
                else
                {
                    WriteTable(indicator, breakdown);
                }
            }

            _row++;
        }

        if (_schema.MaxCommentLength > 0)
        {
            WriteComment(commentLabel ?? "Commentaire");
        }

        var statuses = WriteChecks();
        foreach (var action in _deferred)
        {
            action();
        }

        WriteState(statuses);
        _sheet.SheetView.FreezeRows(4);
        _sheet.PageSetup.FitToPages(1, 0);
        GridWorkbookWriter.Protect(_sheet);
    }

    /// <summary>The section a breakdown is shown in: its own, or that of its indicator.</summary>
    private string SectionOf(Indicator indicator, Breakdown breakdown) =>
        !string.IsNullOrEmpty(breakdown.Section) ? breakdown.Section
        : _schema.Sections.FirstOrDefault(s => s.Indicators.Contains(indicator))?.Code ?? "";

    /// <summary>A breakdown of one dimension: one row per option, then the total and how it compares with the indicator's.</summary>
    private void WriteList(Indicator indicator, Breakdown breakdown)
    {
        BreakdownTitle(indicator, breakdown);
        var first = _row;
        foreach (var option in breakdown.Dimensions[0].Options)
        {
            _sheet.Cell(_row, LabelColumn).SetValue<string>(option.Label);
            _sheet.Cell(_row, LabelColumn).Style.Alignment.Indent = 1;
            Input(_sheet.Cell(_row, FirstValueColumn), SchemaCells.PathOf(indicator.Code, breakdown, [option]));
            _row++;
        }

        var total = _sheet.Cell(_row, FirstValueColumn);
        TotalRow(_row, FirstValueColumn, FirstValueColumn);
        total.FormulaA1 = $"SUM({Address(first, FirstValueColumn)}:{Address(_row - 1, FirstValueColumn)})";
        CompareWithIndicator(indicator, breakdown, total, _sheet.Cell(_row, FirstValueColumn + 1));
        _row++;
    }

    /// <summary>
    /// A breakdown of several dimensions as a cross table: the dimension with the fewest options across, the others down
    /// (sex across, age bands down), with row and column totals.
    /// </summary>
    private void WriteTable(Indicator indicator, Breakdown breakdown)
    {
        BreakdownTitle(indicator, breakdown);
        var dimensions = breakdown.Dimensions.ToList();
        var across = dimensions.MinBy(d => d.Options.Count)!;
        var down = dimensions.Where(d => d != across).ToList();
        var lastColumn = FirstValueColumn + across.Options.Count;

        _sheet.Cell(_row, LabelColumn).SetValue<string>(string.Join(" / ", down.Select(d => d.Label)));
        for (var c = 0; c < across.Options.Count; c++)
        {
            _sheet.Cell(_row, FirstValueColumn + c).SetValue<string>(across.Options[c].Label);
        }

        _sheet.Cell(_row, lastColumn).SetValue<string>("Total");
        var header = _sheet.Range(_row, LabelColumn, _row, lastColumn);
        header.Style.Font.Bold = true;
        header.Style.Alignment.WrapText = true;
        header.Style.Alignment.Horizontal = XLAlignmentHorizontalValues.Center;
        _row++;

        var first = _row;
        foreach (var combination in SchemaCells.Combinations(down))
        {
            _sheet.Cell(_row, LabelColumn).SetValue<string>(string.Join(" — ", combination.Select(o => o.Label)));
            _sheet.Cell(_row, LabelColumn).Style.Alignment.Indent = 1;
            for (var c = 0; c < across.Options.Count; c++)
            {
                var options = dimensions.Select(d => d == across ? across.Options[c] : combination[down.IndexOf(d)]).ToList();
                Input(_sheet.Cell(_row, FirstValueColumn + c), SchemaCells.PathOf(indicator.Code, breakdown, options));
            }

            var rowTotal = _sheet.Cell(_row, lastColumn);
            rowTotal.FormulaA1 = $"SUM({Address(_row, FirstValueColumn)}:{Address(_row, lastColumn - 1)})";
            rowTotal.Style.Fill.BackgroundColor = GridWorkbookWriter.TotalFill;
            _row++;
        }

        TotalRow(_row, FirstValueColumn, lastColumn);
        for (var column = FirstValueColumn; column <= lastColumn; column++)
        {
            _sheet.Cell(_row, column).FormulaA1 = $"SUM({Address(first, column)}:{Address(_row - 1, column)})";
        }

        CompareWithIndicator(indicator, breakdown, _sheet.Cell(_row, lastColumn), _sheet.Cell(_row, lastColumn + 1));
        _row++;
    }

    private void BreakdownTitle(Indicator indicator, Breakdown breakdown)
    {
        var title = _sheet.Cell(_row, LabelColumn);
        title.SetValue<string>(breakdown.Label);
        title.Style.Font.Bold = true;
        if (breakdown.SumsToTotal && indicator.HasTotal)
        {
            _sheet.Cell(_row, FirstValueColumn).SetValue<string>($"total = « {indicator.Label} »");
            _sheet.Cell(_row, FirstValueColumn).Style.Font.FontColor = XLColor.Gray;
        }
        else if (!breakdown.SumsToTotal)
        {
            _sheet.Cell(_row, FirstValueColumn).SetValue<string>("plusieurs réponses possibles");
            _sheet.Cell(_row, FirstValueColumn).Style.Font.FontColor = XLColor.Gray;
        }

        _row++;
    }

    private void TotalRow(int row, int firstColumn, int lastColumn)
    {
        _sheet.Cell(row, LabelColumn).SetValue<string>("Total");
        var range = _sheet.Range(row, LabelColumn, row, lastColumn);
        range.Style.Font.Bold = true;
        _sheet.Range(row, firstColumn, row, lastColumn).Style.Fill.BackgroundColor = GridWorkbookWriter.TotalFill;
    }

    /// <summary>Next to a breakdown's total: whether it equals the indicator's total (written once every address is known).</summary>
    private void CompareWithIndicator(Indicator indicator, Breakdown breakdown, IXLCell total, IXLCell check)
    {
        if (!breakdown.SumsToTotal || !indicator.HasTotal)
        {
            return;
        }

        _deferred.Add(() =>
        {
            if (_result.AddressOf(indicator.Code) is not { } target)
            {
                return;
            }

            var totalAddress = total.Address.ToStringRelative();
            check.FormulaA1 = $"IF(COUNT({target})=0,\"\",IF({totalAddress}={target},\"{EqualMark} égal au total\",\"{DifferentMark} total attendu : \"&{target}))";
            check.Style.Font.Bold = true;
            check.AddConditionalFormat().WhenStartsWith(DifferentMark).Font.SetFontColor(XLColor.Red);
            check.AddConditionalFormat().WhenStartsWith(EqualMark).Font.SetFontColor(XLColor.DarkGreen);
        });
    }

    private void WriteComment(string label)
    {
        GridWorkbookWriter.Header(_sheet.Range(_row, 1, _row, FirstValueColumn + 4), label);
        _row++;
        _sheet.Cell(_row, LabelColumn).SetValue<string>($"Texte libre, {_schema.MaxCommentLength} caractères au plus, sans aucune donnée personnelle.");
        _sheet.Cell(_row, LabelColumn).Style.Font.FontColor = XLColor.Gray;
        var length = _sheet.Cell(_row, FirstValueColumn + 3);
        _row++;
        var range = _sheet.Range(_row, LabelColumn, _row + 4, FirstValueColumn + 4);
        range.Merge();
        var cell = range.FirstCell();
        cell.Style.Protection.Locked = false;
        cell.Style.Alignment.WrapText = true;
        cell.Style.Alignment.Vertical = XLAlignmentVerticalValues.Top;
        range.Style.Fill.BackgroundColor = GridWorkbookWriter.InputFill;
        range.Style.Border.OutsideBorder = XLBorderStyleValues.Thin;
        var validation = cell.SetDataValidation();
        validation.TextLength.EqualOrLessThan(_schema.MaxCommentLength);
        validation.ErrorTitle = "Commentaire trop long";
        validation.ErrorMessage = $"Le commentaire compte {_schema.MaxCommentLength} caractères au plus.";
        if (_prefill is { Comment.Length: > 0 } known)
        {
            cell.SetValue<string>(known.Comment);
        }

        var address = cell.Address.ToStringRelative();
        length.FormulaA1 = $"LEN({address})&\" / {_schema.MaxCommentLength} caractères\"";
        length.Style.Font.FontColor = XLColor.Gray;
        _result.CommentAddress = address;
        _row += 6;
    }

    /// <summary>The schema's rules as live checks; returns the range of the status cells (or null without checks).</summary>
    private string? WriteChecks()
    {
        var rules = _schema.Rules
            .Where(r => r.Kind == "expression")
            .Select(r => (Rule: r, Formula: RuleFormulas.TryTranslate(r.Expression, AddressesOf)))
            .Where(x => x.Formula is not null)
            .ToList();
        if (rules.Count == 0)
        {
            return null;
        }

        GridWorkbookWriter.Header(_sheet.Range(_row, 1, _row, FirstValueColumn + 4), "Contrôles de cohérence (calculés pendant la saisie)");
        _row++;
        var first = _row;
        var filled = FilledCountAddress.Replace("E", "$E$", StringComparison.Ordinal);
        foreach (var (rule, formula) in rules)
        {
            var message = _sheet.Cell(_row, LabelColumn);
            message.FormulaA1 = formula!.Left is { } left && formula.Right is { } right
                ? $"SUBSTITUTE(SUBSTITUTE({Quote(rule.Message)},\"{{left}}\",{left}),\"{{right}}\",{right})"
                : Quote(rule.Message);
            message.Style.Alignment.WrapText = true;
            var failed = rule.Severity == Severity.Error ? GridWorkbookWriter.ErrorStatus : GridWorkbookWriter.WarningStatus;
            var status = _sheet.Cell(_row, FirstValueColumn);
            status.FormulaA1 = $"IF({filled}=0,\"\",IF({formula.Condition},\"{GridWorkbookWriter.OkStatus}\",\"{failed}\"))";
            status.Style.Font.Bold = true;
            status.Style.Alignment.Horizontal = XLAlignmentHorizontalValues.Center;
            _sheet.Cell(_row, FirstValueColumn + 1).SetValue<string>(rule.Code);
            _sheet.Cell(_row, FirstValueColumn + 1).Style.Font.FontColor = XLColor.Gray;
            _row++;
        }

        var statuses = _sheet.Range(first, FirstValueColumn, _row - 1, FirstValueColumn);
        statuses.AddConditionalFormat().WhenEquals($"\"{GridWorkbookWriter.ErrorStatus}\"").Fill.SetBackgroundColor(XLColor.FromHtml("#F4B6B6"));
        statuses.AddConditionalFormat().WhenEquals($"\"{GridWorkbookWriter.WarningStatus}\"").Fill.SetBackgroundColor(XLColor.FromHtml("#FCE4B6"));
        statuses.AddConditionalFormat().WhenEquals($"\"{GridWorkbookWriter.OkStatus}\"").Fill.SetBackgroundColor(XLColor.FromHtml("#CDEBC6"));
        return statuses.RangeAddress.ToStringFixed();
    }

    private void WriteState(string? statuses)
    {
        var inputs = _result.Inputs.Select(i => i.Address).ToList();
        _sheet.Cell(FilledCountAddress).FormulaA1 = inputs.Count == 0 ? "0" : $"COUNT({RuleFormulas.Ranges(inputs)})";
        var errors = statuses is null ? "0" : $"COUNTIF({statuses},\"{GridWorkbookWriter.ErrorStatus}\")";
        var warnings = statuses is null ? "0" : $"COUNTIF({statuses},\"{GridWorkbookWriter.WarningStatus}\")";
        var state = _sheet.Cell(StatusAddress);
        state.FormulaA1 =
            $"IF({FilledCountAddress}=0,\"Vide : cette feuille ne sera pas envoyée\"," +
            $"IF({errors}>0,{errors}&\" erreur(s) à corriger avant l'envoi\"," +
            $"IF({warnings}>0,{warnings}&\" point(s) à vérifier\",\"Aucune erreur détectée\")))";
        state.Style.Font.Bold = true;
        state.AddConditionalFormat().WhenContains("erreur(s)").Font.SetFontColor(XLColor.Red);
        state.AddConditionalFormat().WhenContains("Aucune erreur").Font.SetFontColor(XLColor.DarkGreen);
        _sheet.Cell(FilledCountAddress).Style.Font.FontColor = XLColor.Gray;
    }

    private IReadOnlyList<string> AddressesOf(CellPattern pattern) =>
        [.. _result.Inputs.Where(i => pattern.Matches(i.Path)).Select(i => i.Address)];

    private void Input(IXLCell cell, string path)
    {
        cell.Style.Protection.Locked = false;
        cell.Style.Fill.BackgroundColor = GridWorkbookWriter.InputFill;
        cell.Style.Border.OutsideBorder = XLBorderStyleValues.Thin;
        cell.Style.NumberFormat.Format = "0";
        var validation = cell.SetDataValidation();
        validation.WholeNumber.Between(0, (int)MaxValue);
        validation.ErrorStyle = XLErrorStyle.Stop;
        validation.ErrorTitle = "Valeur refusée";
        validation.ErrorMessage = $"Saisissez un nombre entier de 0 à {MaxValue.ToString(CultureInfo.InvariantCulture)}.";
        if (_prefill is not null && _prefill.Values.TryGetValue(path, out var value))
        {
            cell.SetValue(value);
        }

        _result.Inputs.Add((path, cell.Address.ToStringRelative()));
    }

    private static void Label(IXLCell cell, string label, string description)
    {
        cell.SetValue<string>(label);
        if (!string.IsNullOrEmpty(description))
        {
            cell.Comment.AddText(description);
        }
    }

    private static string Address(int row, int column) => XLHelper.GetColumnLetterFromNumber(column) + row.ToString(CultureInfo.InvariantCulture);

    private static string Quote(string text) => "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
