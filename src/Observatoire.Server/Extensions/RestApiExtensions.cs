using Google.Protobuf.Reflection;
using Grpc.AspNetCore.Server.Model;
using Microsoft.OpenApi.Models;
using Observatoire.Server.Rest;

namespace Observatoire.Server.Extensions;

/// <summary>
/// REST over the gRPC services (JSON transcoding of the <c>google.api.http</c> annotations) and its OpenAPI
/// document at <c>/openapi/v1.json</c>, generated from the protos with their comments, browsable at <c>/api</c>.
/// </summary>
public static class RestApiExtensions
{
    /// <summary>Where the OpenAPI document is served.</summary>
    public const string DocumentPath = "/openapi/v1.json";

    /// <summary>Where the browsable page of the document is served.</summary>
    public const string PagePrefix = "api";

    /// <summary>Registers JSON transcoding and the OpenAPI generator; call after <see cref="ObservatoireServerExtensions.AddObservatoire"/>.</summary>
    public static void AddObservatoireRest(this WebApplicationBuilder builder)
    {
        var services = builder.Services;

        // After AddObservatoire, which replaces the gRPC method providers by guarded ones: transcoding adds its own.
        services.AddGrpc().AddJsonTranscoding(o =>
        {
            // The error details (google.rpc.BadRequest and the other standard ones) are written as JSON.
            o.TypeRegistry = TypeRegistry.FromFiles(Google.Rpc.ErrorDetailsReflection.Descriptor);
        });

        services.AddGrpcSwagger();
        services.AddSwaggerGen(o =>
        {
            o.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "Observatoire national des ISCG",
                Version = "v1",
                Description = OpenApiText.Description,
                License = new OpenApiLicense { Name = "Licence Ouverte 2.0 (données publiées)", Url = new Uri("https://www.etalab.gouv.fr/licence-ouverte-open-licence/") },
            });
            var comments = Path.Combine(AppContext.BaseDirectory, "Observatoire.Protos.xml");
            if (File.Exists(comments))
            {
                o.IncludeXmlComments(comments);
                o.IncludeGrpcXmlComments(comments, includeControllerXmlComments: true);
            }

            o.AddSecurityDefinition("cle", new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = OpenApiText.Security,
            });
            o.AddSecurityRequirement(new OpenApiSecurityRequirement
            {
                [new OpenApiSecurityScheme { Reference = new OpenApiReference { Type = ReferenceType.SecurityScheme, Id = "cle" } }] = [],
            });
        });

        // AddGrpc (here and in AddGrpcSwagger) brings back Grpc.AspNetCore's own method provider, whose marshallers answer UNKNOWN to a message that
        // does not parse: take it out again, keeping the guarded provider and transcoding's.
        var grpcServer = typeof(IServiceMethodProvider<>).Assembly;
        foreach (var descriptor in services.Where(d => d.ServiceType == typeof(IServiceMethodProvider<>) && d.ImplementationType?.Assembly == grpcServer).ToList())
        {
            services.Remove(descriptor);
        }
    }

    /// <summary>Serves the OpenAPI document and its page without a key; call before <see cref="ObservatoireServerExtensions.MapObservatoire"/>.</summary>
    public static void UseObservatoireOpenApi(this WebApplication app)
    {
        app.UseSwagger(o => o.RouteTemplate = "openapi/{documentName}.json");

        // Swashbuckle's page embeds its scripts in the package: nothing is fetched from a CDN.
        app.UseSwaggerUI(o =>
        {
            o.SwaggerEndpoint(DocumentPath, "Observatoire v1");
            o.RoutePrefix = PagePrefix;
            o.DocumentTitle = "API de l'observatoire national des ISCG";
        });
    }
}
