using Observatoire.Core.Registry;
using Observatoire.Data;

namespace Observatoire.Server.Tests;

/// <summary>The registry files a ministry will load: spreadsheet exports with their quirks.</summary>
public class ReferenceDataTests
{
    [Fact]
    public void Embedded_reference_data_has_the_101_departments_and_their_18_regions()
    {
        var departments = ReferenceData.LoadDepartments();
        var regions = ReferenceData.Regions(departments);

        Assert.Equal(101, departments.Count);
        Assert.Equal(18, regions.Count);
        Assert.Equal("Provence-Alpes-Côte d'Azur", regions.Single(r => r.Code == "93").Name);
        Assert.Equal(departments.Sum(d => d.Population), regions.Sum(r => r.Population));
    }

    [Fact]
    public void A_spreadsheet_export_with_semicolons_quotes_and_a_decimal_comma_loads()
    {
        const string csv = "\uFEFFid;nom;code_departement;zone;etp;frequence;actif_du;actif_au\r\n"
            + "P-09-101;\"ISCG « Foix; Pamiers »\";9;gendarmerie;0,8;trimestrielle;2024-03-01;\r\n"
            + "\r\n"
            + "P-2A-101;ISCG Ajaccio;2a;mixte;1;mois;2020-01-01;2024-12-31\r\n";

        var posts = ReferenceData.LoadPosts(new StringReader(csv), "registre.csv");

        Assert.Equal(2, posts.Count);
        Assert.Equal("ISCG « Foix; Pamiers »", posts[0].Name);
        Assert.Equal("09", posts[0].DepartmentCode);
        Assert.Equal(0.8, posts[0].Fte);
        Assert.Equal(ReportingFrequency.Quarter, posts[0].Frequency);
        Assert.Equal("2A", posts[1].DepartmentCode);
        Assert.Equal(new DateOnly(2024, 12, 31), posts[1].ActiveTo);
    }

    [Theory]
    [InlineData("P-1,ISCG,01,police,1.0,mois,2024-01-01,\nP-2,ISCG B,01,brigade,1.0,mois,2024-01-01,\n", "registre.csv, ligne 3", "zone invalide")]
    [InlineData("P-1,\"ISCG non fermé,01,police,1.0,mois,2024-01-01,\n", "registre.csv, ligne", "guillemet")]
    [InlineData("P-1,ISCG,01,police,1.0,mois,2024-01-01,\nP-1,ISCG,01,police,1.0,mois,2024-01-01,\n", "registre.csv, ligne 3", "en double")]
    public void A_faulty_registry_is_refused_naming_the_file_and_the_line(string rows, string where, string what)
    {
        var csv = "id,nom,code_departement,zone,etp,frequence,actif_du,actif_au\n" + rows;

        var error = Assert.Throws<InvalidDataException>(() => ReferenceData.LoadPosts(new StringReader(csv), "registre.csv"));

        Assert.Contains(where, error.Message);
        Assert.Contains(what, error.Message);
    }
}
