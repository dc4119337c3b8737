using Grpc.Core;
using Observatoire.Core.Periods;
using Observatoire.Core.Schemas;
using Observatoire.Core.Validation;
using Observatoire.Protos.V1;

namespace Observatoire.Server.Grpc;

/// <summary>Publishes the grid schema versions.</summary>
internal sealed class SchemaGrpcService(SchemaCatalog catalog) : SchemaService.SchemaServiceBase
{
    public override Task<Protos.V1.Schema> GetSchema(GetSchemaRequest request, ServerCallContext context)
    {
        GridSchema? schema;
        if (request.Version.Length > 0)
        {
            schema = catalog.Find(request.Version)
                ?? throw RpcErrors.NotFound($"La version de grille « {ClientText.Quote(request.Version)} » n'existe pas.");
        }
        else if (request.Period.Length > 0)
        {
            var period = Period.TryParse(request.Period, out var p)
                ? p
                : throw RpcErrors.InvalidField("period", "PERIODE_INVALIDE", $"La période « {ClientText.Quote(request.Period)} » est invalide : attendu AAAA-MM, AAAA-Tn ou AAAA.");
            schema = catalog.Covering(period)
                ?? throw RpcErrors.NotFound($"Aucune version de grille ne couvre la période {period}.");
        }
        else
        {
            schema = catalog.Latest;
        }

        return Task.FromResult(ProtoMapping.ToProto(schema));
    }

    public override Task<ListSchemasResponse> ListSchemas(ListSchemasRequest request, ServerCallContext context) =>
        Task.FromResult(new ListSchemasResponse { Schemas = { catalog.All.Select(ProtoMapping.ToSummary) } });
}
