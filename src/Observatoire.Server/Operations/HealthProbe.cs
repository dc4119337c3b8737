using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace Observatoire.Server.Operations;

/// <summary>
/// "Observatoire.Server health [URL]": asks the standard gRPC health service of a running server (default: the first
/// of ASPNETCORE_URLS, on loopback) and exits 0 when it answers SERVING, 1 otherwise; a URL whose path is one of the
/// management endpoint's probes (http://127.0.0.1:5090/health/ready) is asked over HTTP instead, 0 for 200. For
/// container healthchecks and service supervisors that have neither a gRPC client nor curl.
/// </summary>
public static class HealthProbe
{
    public const string Verb = "health";

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);

    public static bool Handles(string[] args) => args is [Verb, ..];

    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var url = args.Length > 1 ? args[1] : LoopbackOf(Environment.GetEnvironmentVariable("ASPNETCORE_URLS"));
        using var handler = new SocketsHttpHandler();

        // The probe talks to this very host over loopback: the certificate is the server's own, not a stranger's.
        handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        if (Uri.TryCreate(url, UriKind.Absolute, out var address) && address.AbsolutePath.StartsWith("/health/", StringComparison.Ordinal))
        {
            var code = await ProbeHttpAsync(address, handler);
            await output.WriteLineAsync($"{url} : {(code is { } c ? ((int)c).ToString(System.Globalization.CultureInfo.InvariantCulture) : "sans réponse")}");
            return code == System.Net.HttpStatusCode.OK ? 0 : 1;
        }

        using var channel = GrpcChannel.ForAddress(url, new GrpcChannelOptions { HttpHandler = handler });
        var status = await CheckAsync(channel, CancellationToken.None);
        await output.WriteLineAsync($"{url} : {status}");
        return status == HealthCheckResponse.Types.ServingStatus.Serving ? 0 : 1;
    }

    /// <summary>The HTTP status of a health probe of the management endpoint; null when it does not answer.</summary>
    public static async Task<System.Net.HttpStatusCode?> ProbeHttpAsync(Uri address, HttpMessageHandler handler)
    {
        using var client = new HttpClient(handler, disposeHandler: false) { Timeout = Deadline };
        try
        {
            using var response = await client.GetAsync(address);
            return response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>The server's overall health status; UNKNOWN when it cannot be asked.</summary>
    public static async Task<HealthCheckResponse.Types.ServingStatus> CheckAsync(GrpcChannel channel, CancellationToken ct)
    {
        try
        {
            var answer = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.Add(Deadline), cancellationToken: ct);
            return answer.Status;
        }
        catch (RpcException)
        {
            return HealthCheckResponse.Types.ServingStatus.Unknown;
        }
    }

    /// <summary>The first URL of a --urls list with a wildcard host made loopback; http://127.0.0.1:5000 when empty.</summary>
    public static string LoopbackOf(string? urls)
    {
        var first = urls?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        if (string.IsNullOrEmpty(first))
        {
            return "http://127.0.0.1:5000";
        }

        foreach (var wildcard in new[] { "://+:", "://*:", "://0.0.0.0:", "://[::]:" })
        {
            first = first.Replace(wildcard, "://127.0.0.1:", StringComparison.Ordinal);
        }

        return first;
    }
}
