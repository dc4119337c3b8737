using Observatoire.Server.Infrastructure;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Observatoire.Protos.V1;
using Observatoire.Server.Extensions;

namespace Observatoire.Server.Tests.Access;

/// <summary>Transport: TLS required outside Development, and per-key rate limiting.</summary>
public class TransportTests
{
    private static WebApplication BuildServer(string directory, Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", ContentRootPath = directory });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Observatoire"] = $"Data Source={Path.Combine(directory, "observatoire.db")}",
            ["Kestrel:EndpointDefaults:Protocols"] = "Http2",
            ["Security:BootstrapAdminKey"] = ServerFixture.AdminKey,
            ["Security:KeyHashIterations"] = "1000",
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.AddObservatoire();
        var app = builder.Build();
        app.MapObservatoire();
        return app;
    }

    [Fact]
    public void Outside_development_the_server_refuses_to_start_in_clear_text()
    {
        var directory = Directory.CreateTempSubdirectory("observatoire-tls-").FullName;
        try
        {
            var error = Assert.Throws<StartupRefusedException>(() => BuildServer(directory, new() { ["Kestrel:Endpoints:Grpc:Url"] = "http://127.0.0.1:0" }));
            Assert.Contains("exige TLS", error.Message);
            Assert.Contains("Security:BehindTlsProxy", error.Message);

            var noCertificate = Assert.Throws<StartupRefusedException>(() => BuildServer(directory, new() { ["Kestrel:Endpoints:Grpc:Url"] = "https://127.0.0.1:0" }));
            Assert.Contains("https://127.0.0.1:0", noCertificate.Message);

            // The addresses ASP.NET Core users set are judged the same way as Kestrel endpoints.
            var urls = Assert.Throws<StartupRefusedException>(() => BuildServer(directory, new() { ["urls"] = "http://127.0.0.1:0" }));
            Assert.Contains("http://127.0.0.1:0", urls.Message);
            var ports = Assert.Throws<StartupRefusedException>(() => BuildServer(directory, new() { ["http_ports"] = "8080" }));
            Assert.Contains("http://*:8080", ports.Message);
            var byDefault = Assert.Throws<StartupRefusedException>(() => BuildServer(directory, new()));
            Assert.Contains("http://localhost:5000", byDefault.Message);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task With_a_certificate_the_server_answers_over_tls_only_to_callers_with_a_key()
    {
        var directory = Directory.CreateTempSubdirectory("observatoire-tls-").FullName;
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var pfx = Path.Combine(directory, "serveur.pfx");
        await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pfx, "secret"));

        var app = BuildServer(directory, new()
        {
            ["Kestrel:Endpoints:Grpc:Url"] = "https://127.0.0.1:0",
            ["Kestrel:Certificates:Default:Path"] = pfx,
            ["Kestrel:Certificates:Default:Password"] = "secret",
        });
        try
        {
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            Assert.StartsWith("https://", address);
            using var handler = new SocketsHttpHandler();
            handler.SslOptions.RemoteCertificateValidationCallback = (_, presented, _, _) => presented?.GetCertHashString() == certificate.GetCertHashString();
            using var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = handler });

            var health = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest());
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
            var anonymous = await Assert.ThrowsAsync<RpcException>(() => new SchemaService.SchemaServiceClient(channel).GetSchemaAsync(new GetSchemaRequest()).ResponseAsync);
            Assert.Equal(StatusCode.Unauthenticated, anonymous.StatusCode);
            var schema = await new SchemaService.SchemaServiceClient(channel).GetSchemaAsync(
                new GetSchemaRequest(), new Metadata { { "authorization", $"Bearer {ServerFixture.AdminKey}" } });
            Assert.Equal("2025.1", schema.Version);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_key_over_its_rate_gets_resource_exhausted_with_a_retry_hint_and_other_keys_go_on()
    {
        using var server = new ServerFixture();
        server.Settings["Security:RateLimitPermits"] = "3";
        server.Settings["Security:RateLimitWindowSeconds"] = "3600";
        var busy = await server.ReportKeyAsync();
        var schemas = new SchemaService.SchemaServiceClient(server.CreateChannel(busy));
        for (var i = 0; i < 3; i++)
        {
            await schemas.ListSchemasAsync(new ListSchemasRequest());
        }

        var error = await Assert.ThrowsAsync<RpcException>(() => schemas.ListSchemasAsync(new ListSchemasRequest()).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Contains("réessayez dans", error.Status.Detail);
        Assert.True(int.Parse(error.Trailers.GetValue("retry-after")!, System.Globalization.CultureInfo.InvariantCulture) > 0);

        await new SchemaService.SchemaServiceClient(server.CreateChannel(await server.ReportKeyAsync())).ListSchemasAsync(new ListSchemasRequest());
        await new Health.HealthClient(server.CreateChannel(apiKey: null)).CheckAsync(new HealthCheckRequest());
    }
}
