using Observatoire.Cli.Workbooks;
using Observatoire.Workbooks;

namespace Observatoire.Server.Tests.Cli;

/// <summary>The schema's rule language written as spreadsheet formulas.</summary>
public class RuleFormulasTests
{
    private static readonly Dictionary<string, string> Cells = new()
    {
        ["a"] = "B2",
        ["a[d=x]"] = "B3",
        ["a[d=y]"] = "B4",
        ["a[d=z]"] = "B6",
        ["b"] = "C7",
        ["c[d=x,e=u]"] = "D2",
        ["c[d=x,e=v]"] = "E2",
    };

    private static IReadOnlyList<string> AddressesOf(CellPattern pattern) =>
        [.. Cells.Where(c => pattern.Matches(c.Key)).Select(c => c.Value)];

    [Theory]
    [InlineData("sum(a[d=*]) == a", "SUM(B3:B4,B6)=B2", "SUM(B3:B4,B6)", "B2")]
    [InlineData("b != 0", "C7<>0", "C7", "0")]
    [InlineData("a - b >= 3", "(B2-C7)>=3", "(B2-C7)", "3")]
    [InlineData("sum(c[d=x,e=*]) <= (a + b)", "SUM(D2,E2)<=((B2+C7))", "SUM(D2,E2)", "((B2+C7))")]
    public void A_comparison_becomes_a_formula_with_its_two_sides(string rule, string condition, string left, string right)
    {
        var formula = RuleFormulas.TryTranslate(rule, AddressesOf);

        Assert.Equal(new RuleFormula(condition, left, right), formula);
    }

    [Fact]
    public void And_or_and_parentheses_become_spreadsheet_functions_without_sides()
    {
        var formula = RuleFormulas.TryTranslate("b == 0 or (a[d=x] > 0 and a[d=y] > 0)", AddressesOf);

        Assert.Equal(new RuleFormula("OR(C7=0,(AND(B3>0,B4>0)))", null, null), formula);
    }

    [Theory]
    [InlineData("inconnu == 0")]
    [InlineData("a[d=*] == 0")]
    [InlineData("sum(a[d=*]) ==")]
    [InlineData("a = b")]
    [InlineData("a == b extra")]
    public void A_rule_naming_an_unknown_cell_or_malformed_is_left_to_the_server(string rule)
    {
        Assert.Null(RuleFormulas.TryTranslate(rule, AddressesOf));
    }
}
