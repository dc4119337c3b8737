using System.Globalization;
using Google.Rpc;
using Grpc.Core;
using Observatoire.Protos.V1;
using UglyToad.PdfPig;

namespace Observatoire.Server.Tests;

/// <summary>A post's bilan d'activité through the real server, from its own grids of 2024 and 2025.</summary>
public class PostBilanTests(PostBilanTests.MonthlyPostFixture post) : IClassFixture<PostBilanTests.MonthlyPostFixture>
{
    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    private readonly ReportService.ReportServiceClient _reports = new(post.Server.CreateChannel());

    [Fact]
    public async Task Bilan_shows_the_post_own_figures_its_months_its_publics_and_the_qualitative_part()
    {
        var texte = "# Faits marquants\n\nUn partenariat **renforcé** avec le service social.\n\n## Perspectives\n\n- Permanence au commissariat\n- Réunions trimestrielles\n";

        var (pdf, summary) = await GenerateAsync(new GeneratePostBilanRequest { PostId = post.PostId.ToLowerInvariant(), Year = 2025, Texte = texte });

        Assert.Equal($"bilan-{post.PostId}-2025.pdf", summary.FileName);
        using var document = PdfDocument.Open(pdf);
        Assert.Equal(summary.Pages, document.NumberOfPages);
        var text = string.Join("\n", document.GetPages().Select(p => p.Text));
        Assert.Contains("Bilan d'activité 2025", text);
        Assert.Contains($"({post.PostId})", text);

        // Key figures from the yearly bilan, with their change over a year (2024: twelve months, no bilan).
        Assert.Contains("bilan annuel du poste", text);
        Assert.Contains("Personnes reçues", text);
        Assert.Contains(MonthlyPostFixture.BilanRecues.ToString("N0", French), text);
        Assert.Contains((12 * 70).ToString("N0", French), text); // entretiens of 2024's months
        Assert.Contains("sur un an", text);

        // Month by month, publics, problems, origins, orientations, acts.
        Assert.Contains("Activité mois par mois", text);
        Assert.Contains("décembre", text);
        foreach (var heading in new[] { "Personnes reçues par statut", "Personnes reçues par sexe et tranche d'âge", "Problématiques", "Origine de la saisine", "Orientations", "Actes", "Signalements au procureur" })
        {
            Assert.Contains(heading, text);
        }

        // The qualitative part, headings and list items, emphasis marks dropped.
        Assert.Contains("Bilan qualitatif", text);
        Assert.Contains("Faits marquants", text);
        Assert.Contains("Un partenariat renforcé avec le service social.", text);
        Assert.Contains("• Permanence au commissariat", text);
        Assert.DoesNotContain("**", text);
    }

    [Fact]
    public async Task Text_with_personal_data_is_refused_naming_the_field_and_the_rule()
    {
        var request = new GeneratePostBilanRequest { PostId = post.PostId, Year = 2025, Texte = "Contact : jeanne.martin@exemple.fr" };

        var error = await Assert.ThrowsAsync<RpcException>(() => GenerateAsync(request));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var violation = Assert.Single(error.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations);
        Assert.Equal(("texte", "ANONYMAT_EMAIL"), (violation.Field, violation.Reason));
        Assert.StartsWith("Texte du bilan refusé", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_post_is_not_found_and_a_future_year_is_invalid()
    {
        var unknown = await Assert.ThrowsAsync<RpcException>(() => GenerateAsync(new GeneratePostBilanRequest { PostId = "P-00-999", Year = 2025 }));
        var future = await Assert.ThrowsAsync<RpcException>(() => GenerateAsync(new GeneratePostBilanRequest { PostId = post.PostId, Year = 2999 }));

        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, future.StatusCode);
    }

    private Task<(byte[] Bytes, ReportSummary Summary)> GenerateAsync(GeneratePostBilanRequest request) => ReportChunks.ReadAsync(_reports.GeneratePostBilan(request));

    /// <summary>A monthly post with twelve months of 2024 and of 2025, and its yearly bilan of 2025.</summary>
    public sealed class MonthlyPostFixture : IAsyncLifetime
    {
        /// <summary>Distinct persons of the post's 2025 bilan.</summary>
        public const long BilanRecues = 321;

        public ServerFixture Server { get; } = new();

        public string PostId { get; } = TestGrids.MonthlyPost(7).Id;

        public async Task InitializeAsync()
        {
            var grids = new GridService.GridServiceClient(Server.CreateChannel());
            foreach (var year in new[] { 2024, 2025 })
            {
                for (var month = 1; month <= 12; month++)
                {
                    await grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(PostId, $"{year}-{month:D2}")));
                }
            }

            // The bilan: flows of twelve months, the stock of December, 321 distinct persons (between 40 and 480).
            var bilan = TestGrids.Valid(PostId, "2025");
            foreach (var key in bilan.Values.Keys.ToList())
            {
                bilan.Values[key] *= key.StartsWith("personnes_recues", StringComparison.Ordinal) ? 8 : key == "file_active_fin" ? 1 : 12;
            }

            bilan.Values["personnes_recues"] = BilanRecues;
            bilan.Values["personnes_recues[statut=autre]"] += BilanRecues - 320;
            bilan.Values["personnes_recues[sexe=non_renseigne,tranche_age=non_renseigne]"] += BilanRecues - 320;
            await grids.SubmitGridAsync(TestGrids.Submission(bilan));
        }

        public Task DisposeAsync()
        {
            Server.Dispose();
            return Task.CompletedTask;
        }
    }
}
