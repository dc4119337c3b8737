using System.Net;
using System.Net.Http.Headers;
using Google.Rpc;
using Grpc.Core;
using Observatoire.Protos.V1;

namespace Observatoire.Server.Tests;

/// <summary>Every way a grid is refused, through the real server: the status, the field, the rule, and nothing written.</summary>
public class GridRejectionTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private readonly GridService.GridServiceClient _grids = new(server.CreateChannel());

    public static TheoryData<string, string, string> Cases => new()
    {
        { "B_STATUT_SOMME", "personnes_recues[statut=*]", "statut" },
        { "B_SEXE_AGE_SOMME", "personnes_recues[sexe=*,tranche_age=*]", "sexe_age" },
        { "D_ORIGINE_SOMME", "personnes_nouvelles[origine=*]", "origine" },
        { "H_CONNU_SOMME", "personnes_nouvelles[connu_services_sociaux=*]", "connu" },
        { "E_MODALITES_SOMME", "entretiens[modalite=*]", "modalite" },
        { "A_NOUVELLES_INFERIEURES_RECUES", "personnes_nouvelles", "nouvelles" },
        { "VALEUR_HORS_BORNES", "signalements_procureur", "negative" },
        { "VALEUR_HORS_BORNES", "accompagnements_physiques", "huge" },
        { "INDICATEUR_INCONNU", "personnes_agees", "unknown_indicator" },
        { "OPTION_INCONNUE", "personnes_recues[statut=temoin]", "unknown_option" },
        { "CELLULE_MAL_FORMEE", "personnes_recues[statut victime]", "malformed" },
        { "TOTAL_MANQUANT", "file_active_fin", "missing_total" },
        { "POSTE_INCONNU", "post_id", "unknown_post" },
        { "POSTE_INACTIF", "post_id", "closed_post" },
        { "PERIODE_INVALIDE", "period", "bad_period" },
        { "PERIODE_FUTURE", "period", "future" },
        { "PERIODE_FREQUENCE", "period", "frequency" },
        { "VERSION_SCHEMA", "schema_version", "version" },
        { "COMMENTAIRE_TROP_LONG", "comment", "long_comment" },
        { "ANONYMAT_EMAIL", "comment", "email" },
        { "ANONYMAT_TELEPHONE", "comment", "phone" },
        { "ANONYMAT_NIR", "comment", "nir" },
        { "ANONYMAT_DATE_NAISSANCE", "comment", "birth" },
        { "ANONYMAT_ADRESSE", "comment", "address" },
        { "ANONYMAT_NOM", "comment", "name" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Broken_grid_is_refused_with_its_field_and_rule_and_nothing_is_written(string rule, string field, string breakage)
    {
        var grid = Break(TestGrids.Valid(TestGrids.MonthlyPost(0).Id, "2025-01"), breakage);
        var before = await server.CountRowsAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => _grids.SubmitGridAsync(TestGrids.Submission(grid)).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var violation = Assert.Single(error.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations, f => f.Reason == rule);
        Assert.Equal(field, violation.Field);
        Assert.DoesNotContain("{", violation.Description);
        Assert.Equal(before, await server.CountRowsAsync());
    }

    [Fact]
    public async Task Missing_submission_id_is_refused_on_that_field()
    {
        var request = TestGrids.Submission(TestGrids.Valid(TestGrids.MonthlyPost(0).Id, "2025-01"), id: "");

        var error = await Assert.ThrowsAsync<RpcException>(() => _grids.SubmitGridAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("submission_id", error.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations.Single().Field);
    }

    [Fact]
    public async Task Request_without_a_grid_is_refused_on_that_field()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            _grids.SubmitGridAsync(new SubmitGridRequest { SubmissionId = "x" }).ResponseAsync);

        Assert.Equal("grid", error.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations.Single().Field);
    }

    [Fact]
    public async Task Grid_with_thousands_of_cells_is_refused_before_validation()
    {
        var grid = TestGrids.Valid(TestGrids.MonthlyPost(0).Id, "2025-01");
        for (var i = 0; i < 5_000; i++)
        {
            grid.Values[$"inconnu_{i}"] = 1;
        }

        var error = await Assert.ThrowsAsync<RpcException>(() => _grids.SubmitGridAsync(TestGrids.Submission(grid)).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("grid.values", error.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations.Single().Field);
    }

    [Fact]
    public async Task Oversized_message_gets_resource_exhausted_and_the_server_keeps_serving()
    {
        var grid = TestGrids.Valid(TestGrids.MonthlyPost(0).Id, "2025-01", comment: new string('x', 5 * 1024 * 1024));

        var error = await Assert.ThrowsAsync<RpcException>(() => _grids.SubmitGridAsync(TestGrids.Submission(grid)).ResponseAsync);
        var after = await _grids.ValidateGridAsync(new ValidateGridRequest { Grid = TestGrids.Valid(TestGrids.MonthlyPost(0).Id, "2025-01") });

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.True(after.Valid);
    }

    [Fact]
    public async Task Malformed_protobuf_gets_a_clean_grpc_status_and_the_server_keeps_serving()
    {
        using var client = server.CreateDefaultClient();
        client.DefaultRequestVersion = HttpVersion.Version20;
        client.DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact;

        // A gRPC frame (uncompressed, 4 bytes) whose payload is not a valid protobuf message.
        var frame = new byte[] { 0, 0, 0, 0, 4, 0x0A, 0xFF, 0xFF, 0xFF };
        using var content = new ByteArrayContent(frame);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        using var response = await client.PostAsync("/observatoire.v1.GridService/SubmitGrid", content);
        await response.Content.ReadAsByteArrayAsync();
        var status = response.TrailingHeaders.TryGetValues("grpc-status", out var values)
            ? values.Single()
            : response.Headers.GetValues("grpc-status").Single();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual("0", status);
        Assert.True((await _grids.ValidateGridAsync(new ValidateGridRequest { Grid = TestGrids.Valid(TestGrids.MonthlyPost(0).Id, "2025-01") })).Valid);
        Assert.Equal((0, 0), await server.CountRowsAsync());
    }

    private static Grid Break(Grid grid, string breakage)
    {
        var v = grid.Values;
        switch (breakage)
        {
            case "statut": v["personnes_recues[statut=victime]"] += 1; break;
            case "sexe_age": v["personnes_recues[sexe=femme,tranche_age=26_40]"] -= 1; break;
            case "origine": v["personnes_nouvelles[origine=justice]"] = 2; break;
            case "connu": v.Remove("personnes_nouvelles[connu_services_sociaux=oui]"); break;
            case "modalite": v["entretiens"] = 71; break;
            case "nouvelles":
                v["personnes_nouvelles"] = 41;
                v["personnes_nouvelles[origine=police_nationale]"] = 31;
                v["personnes_nouvelles[connu_services_sociaux=oui]"] = 26;
                break;
            case "negative": v["signalements_procureur"] = -1; break;
            case "huge": v["accompagnements_physiques"] = 100_001; break;
            case "unknown_indicator": v["personnes_agees"] = 3; break;
            case "unknown_option": v["personnes_recues[statut=temoin]"] = 0; break;
            case "malformed": v["personnes_recues[statut victime]"] = 0; break;
            case "missing_total": v.Remove("file_active_fin"); break;
            case "unknown_post": grid.PostId = "P-00-999"; break;
            case "closed_post": grid.PostId = TestGrids.ClosedPost.Id; break;
            case "bad_period": grid.Period = "2025-3"; break;
            case "future": grid.Period = $"{DateTime.UtcNow.Year + 1}-01"; break;
            case "frequency": grid.Period = "2025-T1"; break;
            case "version": grid.SchemaVersion = "2019.1"; break;
            case "long_comment": grid.Comment = new string('a', 2_001); break;
            case "email": grid.Comment = "écrire à jean.martin@orange.fr"; break;
            case "phone": grid.Comment = "joindre au 01.45.67.89.10"; break;
            case "nir": grid.Comment = "NIR 1 84 12 76 451 089 46"; break;
            case "birth": grid.Comment = "enfant né le 02/11/2015"; break;
            case "address": grid.Comment = "habite 7 impasse des Tilleuls"; break;
            case "name": grid.Comment = "reçue avec Mme Lefebvre, sa voisine"; break;
            default: throw new ArgumentOutOfRangeException(nameof(breakage));
        }

        return grid;
    }
}
