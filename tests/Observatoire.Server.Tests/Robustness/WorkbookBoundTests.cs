using System.IO.Compression;
using Observatoire.Workbooks;

namespace Observatoire.Server.Tests.Robustness;

/// <summary>An uploaded workbook is read whole into memory: one whose content is too large is refused before it is read.</summary>
public class WorkbookBoundTests
{
    [Fact]
    public void A_small_file_whose_content_uncompressed_passes_the_bound_is_refused_unread()
    {
        // 17 MB of sheet XML compress to a few kilobytes: what a zip bomb looks like to the size check.
        using var file = new MemoryStream();
        using (var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var sheet = zip.CreateEntry("xl/worksheets/sheet1.xml", CompressionLevel.SmallestSize).Open();
            var row = System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("<c><v>1</v></c>", 64)));
            for (long written = 0; written <= WorkbookFormat.MaxUncompressedBytes; written += row.Length)
            {
                sheet.Write(row);
            }
        }

        Assert.True(file.Length < 1024 * 1024, $"the test file is {file.Length} bytes");

        var reading = WorkbookReader.Read(file);

        Assert.Empty(reading.Grids);
        Assert.Contains("décompressé dépasse la taille admise", Assert.Single(reading.Problems).Message);
    }

    [Fact]
    public void The_generated_example_workbook_is_well_within_the_bound()
    {
        var sample = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "examples", "classeurs", "grille-2025-P-01-001-exemple.xlsx");
        using var zip = ZipFile.OpenRead(sample);

        Assert.True(zip.Entries.Sum(e => e.Length) * 10 < WorkbookFormat.MaxUncompressedBytes);
        Assert.NotEmpty(WorkbookReader.Read(sample).Grids);
    }
}
