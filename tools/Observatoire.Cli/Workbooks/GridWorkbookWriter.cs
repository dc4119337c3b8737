using System.Globalization;
using ClosedXML.Excel;
using Observatoire.Protos.V1;
using Observatoire.Workbooks;

namespace Observatoire.Cli.Workbooks;

/// <summary>
/// Writes the workbook a post fills: a "Mode d'emploi" sheet (post, instructions, state of every sheet), one sheet per
/// period laid out as the paper grid (sections in order, breakdown tables with live totals, the schema's rules as
/// live checks), a "Récapitulatif" of the year, and the hidden metadata sheet (<see cref="WorkbookFormat"/>).
/// Everything comes from the schema served by the server: no cell code is known here.
/// </summary>
public static class GridWorkbookWriter
{
    /// <summary>Name of the first sheet.</summary>
    public const string GuideSheet = "Mode d'emploi";

    /// <summary>Name of the year's summary sheet.</summary>
    public const string SummarySheet = "Récapitulatif";

    /// <summary>Address of the post id on the guide sheet.</summary>
    public const string PostAddress = "B4";

    /// <summary>Status of a rule check that fails and is an error.</summary>
    public const string ErrorStatus = "ERREUR";

    /// <summary>Status of a rule check that fails and is a warning.</summary>
    public const string WarningStatus = "À VÉRIFIER";

    /// <summary>Status of a rule check that holds.</summary>
    public const string OkStatus = "OK";

    internal static readonly XLColor InputFill = XLColor.FromHtml("#FFF5CC");
    internal static readonly XLColor HeaderFill = XLColor.FromHtml("#1F4E79");
    internal static readonly XLColor TotalFill = XLColor.FromHtml("#E7E6E6");

    /// <summary>Writes the workbook of <paramref name="plan"/> to <paramref name="output"/>.</summary>
    public static void Write(WorkbookPlan plan, Stream output)
    {
        // Texts are written with SetValue<string>: assigning Value a string such as "2025-03" makes ClosedXML 0.95 guess a date.
        using var workbook = new XLWorkbook();
        var guide = workbook.Worksheets.Add(GuideSheet);
        var sheets = plan.Sheets.Select(s => PeriodSheetWriter.Write(workbook, plan, s.Period, s.Schema)).ToList();
        WriteGuide(guide, plan, sheets);
        if (sheets.Count > 1)
        {
            SummaryWriter.Write(workbook.Worksheets.Add(SummarySheet), plan, sheets);
        }

        WriteMetadata(workbook.Worksheets.Add(WorkbookFormat.MetadataSheet), plan, sheets);
        guide.SetTabActive();
        workbook.CalculateMode = XLCalculateMode.Auto;
        workbook.FullCalculationOnLoad = true;

        // Sheets cannot be added, removed or renamed: the metadata's map stays true. ClosedXML 0.95 writes the
        // Structure flag of its newer overload as lockWindows, so the older (obsolete) overload is the one that works.
#pragma warning disable CS0618
        workbook.Protect(lockStructure: true, lockWindows: false);
#pragma warning restore CS0618
        workbook.SaveAs(output);
    }

    internal static void Protect(IXLWorksheet sheet)
    {
        // No password: the protection keeps a form's structure from slips, it is not a secret (the reader trusts no formula).
        sheet.Protect().AllowedElements =
            XLSheetProtectionElements.SelectEverything | XLSheetProtectionElements.FormatColumns | XLSheetProtectionElements.FormatRows;
    }

    internal static void Header(IXLRange range, string text)
    {
        range.Merge();
        range.FirstCell().SetValue<string>(text);
        range.Style.Font.Bold = true;
        range.Style.Font.FontColor = XLColor.White;
        range.Style.Fill.BackgroundColor = HeaderFill;
    }

    private static void WriteGuide(IXLWorksheet sheet, WorkbookPlan plan, IReadOnlyList<PeriodSheet> sheets)
    {
        sheet.Column(1).Width = 28;
        sheet.Column(2).Width = 34;
        sheet.Column(3).Width = 60;
        var versions = string.Join(", ", plan.Sheets.Select(s => s.Schema.Version).Distinct());
        sheet.Cell(1, 1).SetValue<string>($"Grilles statistiques ISCG — année {plan.Year}");
        sheet.Cell(1, 1).Style.Font.Bold = true;
        sheet.Cell(1, 1).Style.Font.FontSize = 16;
        sheet.Cell(2, 1).SetValue<string>($"Classeur généré par {plan.Generator} le {plan.GeneratedAt.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture)} · grille {versions}");
        sheet.Cell(2, 1).Style.Font.FontColor = XLColor.Gray;

        sheet.Cell(4, 1).SetValue<string>("Identifiant du poste");
        var post = sheet.Cell(PostAddress);
        if (plan.PostId is { Length: > 0 } postId)
        {
            post.SetValue<string>(postId);
        }
        else
        {
            post.Style.Protection.Locked = false;
            post.Style.Fill.BackgroundColor = InputFill;
            var validation = post.SetDataValidation();
            validation.TextLength.Between(1, 32);
            validation.InputTitle = "Identifiant du poste";
            validation.InputMessage = "L'identifiant du registre, par exemple P-01-001.";
        }

        post.Style.Border.OutsideBorder = XLBorderStyleValues.Thin;
        sheet.Cell(4, 3).SetValue<string>(plan.PostId is null ? "← saisissez l'identifiant du poste (registre des ISCG), par exemple P-01-001" : "");
        sheet.Cell(5, 1).SetValue<string>("Nom du poste");
        sheet.Cell(5, 2).SetValue<string>(plan.PostName ?? "");
        sheet.Cell(6, 1).SetValue<string>("Fréquence des grilles");
        sheet.Cell(6, 2).SetValue<string>(WorkbookPeriods.FrequencyLabel(plan.Frequency) + (sheets.Count > 1 ? ", et le bilan annuel" : ""));

        string[] steps =
        [
            "1. Chaque période a sa feuille (onglets en bas) ; saisissez les nombres dans les cases jaunes, les autres cases sont protégées.",
            "2. Une case vide n'est pas envoyée ; un total laissé vide est signalé par le serveur. Saisissez 0 quand il n'y a rien à compter.",
            "3. Les totaux des tableaux et les contrôles de cohérence se calculent pendant la saisie : corrigez chaque « ERREUR » avant l'envoi.",
            "4. Le commentaire ne doit contenir aucune donnée personnelle (nom, adresse, téléphone, date de naissance...).",
            "5. Vérifiez puis envoyez : observatoire validate CE-FICHIER.xlsx, puis observatoire submit CE-FICHIER.xlsx.",
            "   Seules les feuilles remplies sont envoyées ; renvoyer une feuille inchangée ne crée pas de nouvelle révision.",
            "6. Sans réseau, submit garde les grilles dans la boîte d'envoi de l'ordinateur ; observatoire sync les envoie plus tard.",
        ];
        for (var i = 0; i < steps.Length; i++)
        {
            sheet.Cell(8 + i, 1).SetValue<string>(steps[i]);
        }

        var row = 8 + steps.Length + 1;
        Header(sheet.Range(row, 1, row, 3), "Feuilles du classeur");
        row++;
        sheet.Cell(row, 1).SetValue<string>("Feuille");
        sheet.Cell(row, 2).SetValue<string>("Période");
        sheet.Cell(row, 3).SetValue<string>("État");
        sheet.Range(row, 1, row, 3).Style.Font.Bold = true;
        foreach (var period in sheets)
        {
            row++;
            sheet.Cell(row, 1).SetValue<string>(period.Period.SheetName);
            sheet.Cell(row, 2).SetValue<string>(period.Period.Code);
            sheet.Cell(row, 3).FormulaA1 = WorkbookFormat.Reference(period.Period.SheetName, period.StatusAddress);
        }

        Protect(sheet);
    }

    private static void WriteMetadata(IXLWorksheet sheet, WorkbookPlan plan, IReadOnlyList<PeriodSheet> sheets)
    {
        (string Key, string Value)[] pairs =
        [
            (WorkbookFormat.FormatKey, WorkbookFormat.FormatName),
            (WorkbookFormat.FormatVersionKey, WorkbookFormat.FormatVersion.ToString(CultureInfo.InvariantCulture)),
            (WorkbookFormat.YearKey, plan.Year.ToString(CultureInfo.InvariantCulture)),
            (WorkbookFormat.PostCellKey, WorkbookFormat.Reference(GuideSheet, PostAddress)),
            (WorkbookFormat.GeneratedKey, plan.GeneratedAt.ToString("O", CultureInfo.InvariantCulture)),
            (WorkbookFormat.GeneratorKey, plan.Generator),
        ];
        var row = 1;
        foreach (var (key, value) in pairs)
        {
            Text(sheet.Cell(row, 1), key);
            Text(sheet.Cell(row, 2), value);
            row++;
        }

        row++;
        Text(sheet.Cell(row++, 1), WorkbookFormat.PeriodsMarker);
        foreach (var period in sheets)
        {
            Text(sheet.Cell(row, 1), period.Period.SheetName);
            Text(sheet.Cell(row, 2), period.Period.Code);
            Text(sheet.Cell(row, 3), period.Schema.Version);
            Text(sheet.Cell(row, 4), SchemaCells.Fingerprint(period.Schema));
            Text(sheet.Cell(row, 5), period.CommentAddress ?? "");
            row++;
        }

        row++;
        Text(sheet.Cell(row++, 1), WorkbookFormat.CellsMarker);
        foreach (var period in sheets)
        {
            foreach (var (path, address) in period.Inputs)
            {
                Text(sheet.Cell(row, 1), period.Period.SheetName);
                Text(sheet.Cell(row, 2), path);
                Text(sheet.Cell(row, 3), address);
                row++;
            }
        }

        sheet.Protect();
        sheet.Visibility = XLWorksheetVisibility.VeryHidden;
    }

    private static void Text(IXLCell cell, string value)
    {
        cell.SetValue<string>(value);
    }
}
