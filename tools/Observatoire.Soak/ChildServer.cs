using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using Grpc.Net.Client;
using Observatoire.Protos.V1;

namespace Observatoire.Soak;

/// <summary>
/// The real server as a child process (<c>dotnet Observatoire.Server.dll</c>) on 127.0.0.1, a free port and
/// a given database file: what the crash test kills and the soak test measures.
/// </summary>
public sealed class ChildServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _output = new();
    private bool _disposed;

    private ChildServer(Process process, Uri address, Uri webAddress, Uri managementAddress, string apiKey)
    {
        _process = process;
        Address = address;
        WebAddress = webAddress;
        ManagementAddress = managementAddress;
        ApiKey = apiKey;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The loopback address the server listens on.</summary>
    public Uri Address { get; }

    /// <summary>The loopback address of the web pages (Kestrel:Endpoints:Web, HTTP/1.1), on a port of its own.</summary>
    public Uri WebAddress { get; }

    /// <summary>The loopback address of the management endpoint (Kestrel:Endpoints:Management: /metrics, /health/*), on a port of its own.</summary>
    public Uri ManagementAddress { get; }

    /// <summary>The bootstrap administrator key the server was started with, sent on every call.</summary>
    public string ApiKey { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The server's resident memory now, in bytes.</summary>
    public long WorkingSetBytes
    {
        get
        {
            _process.Refresh();
            return _process.WorkingSet64;
        }
    }

    /// <summary>The last lines the server wrote, for a diagnostic.</summary>
    public string RecentOutput
    {
        get
        {
            lock (_output)
            {
                return string.Join(Environment.NewLine, _output);
            }
        }
    }

    /// <summary>The built server next to this build: OBSERVATOIRE_SERVER_DLL, else src/Observatoire.Server/bin/&lt;configuration&gt; of the repository.</summary>
    public static string LocateServerDll()
    {
        if (Environment.GetEnvironmentVariable("OBSERVATOIRE_SERVER_DLL") is { Length: > 0 } explicitPath)
        {
            return explicitPath;
        }

        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Observatoire.sln")))
            {
                var bin = Path.Combine(directory.FullName, "src", "Observatoire.Server", "bin");
                var candidates = new[] { configuration, configuration == "Debug" ? "Release" : "Debug" }
                    .Select(c => Path.Combine(bin, c, "net10.0", "Observatoire.Server.dll"))
                    .Where(File.Exists)
                    .ToList();
                return candidates.Count > 0
                    ? candidates[0]
                    : throw new FileNotFoundException($"Serveur non compilé : lancez « dotnet build src/Observatoire.Server » ({bin}).");
            }
        }

        throw new FileNotFoundException("Observatoire.sln introuvable au-dessus de " + AppContext.BaseDirectory);
    }

    /// <summary>
    /// Starts the server and waits until it answers its API (or, with <paramref name="aliveOnly"/>, only its liveness probe,
    /// for a test of the start-up phase); <paramref name="listen"/> says how it is told its address,
    /// <paramref name="settings"/> adds configuration ("Section:Key" = value, passed as environment variables).
    /// </summary>
    public static async Task<ChildServer> StartAsync(
        string serverDll,
        string databasePath,
        string apiKey,
        TimeSpan timeout,
        CancellationToken ct = default,
        ListenWith listen = ListenWith.Endpoint,
        IReadOnlyDictionary<string, string>? environment = null,
        IReadOnlyDictionary<string, string>? settings = null,
        bool aliveOnly = false)
    {
        var port = FreeLoopbackPort();
        var address = new Uri($"http://127.0.0.1:{port}");
        var webAddress = new Uri($"http://127.0.0.1:{FreeLoopbackPort()}");
        var managementAddress = new Uri($"http://127.0.0.1:{FreeLoopbackPort()}");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(serverDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(serverDll);
        var url = address.ToString().TrimEnd('/');
        switch (listen)
        {
            case ListenWith.UrlsArgument:
                start.ArgumentList.Add("--urls");
                start.ArgumentList.Add(url);
                break;
            case ListenWith.UrlsEnvironment:
                start.Environment["ASPNETCORE_URLS"] = url;
                break;
            default:
                start.Environment["Kestrel__Endpoints__Grpc__Url"] = url;
                break;
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["DOTNET_ENVIRONMENT"] = "Development";
        start.Environment["ConnectionStrings__Observatoire"] = $"Data Source={databasePath}";
        start.Environment["Security__BootstrapAdminKey"] = apiKey;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        // Development gives the pages a fixed port (appsettings.Development.json): each child server gets its own.
        start.Environment["Kestrel__Endpoints__Web__Url"] = webAddress.ToString().TrimEnd('/');

        // appsettings.json gives the management endpoint a fixed port too.
        start.Environment["Kestrel__Endpoints__Management__Url"] = managementAddress.ToString().TrimEnd('/');
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var server = new ChildServer(Process.Start(start) ?? throw new InvalidOperationException("dotnet n'a pas démarré."), address, webAddress, managementAddress, apiKey);
        try
        {
            await (aliveOnly ? server.WaitUntilAliveAsync(timeout, ct) : server.WaitUntilAnsweringAsync(timeout, ct));
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>A channel to the server whose calls carry the administrator key.</summary>
    public GrpcChannel CreateChannel()
    {
        var key = CallCredentials.FromInterceptor((_, metadata) =>
        {
            metadata.Add("authorization", $"Bearer {ApiKey}");
            return Task.CompletedTask;
        });
        return GrpcChannel.ForAddress(Address, new GrpcChannelOptions
        {
            Credentials = ChannelCredentials.Create(ChannelCredentials.Insecure, key),
            UnsafeUseInsecureChannelCallCredentials = true,
            MaxReceiveMessageSize = 16 * 1024 * 1024,
        });
    }

    /// <summary>SIGKILL: no shutdown, no flush, as a power cut or the OOM killer would.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await KillAsync();
        _process.Dispose();
    }

    private async Task WaitUntilAnsweringAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var channel = CreateChannel();
        var schemas = new SchemaService.SchemaServiceClient(channel);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Le serveur s'est arrêté au démarrage (code {_process.ExitCode}) :{Environment.NewLine}{RecentOutput}");
            }

            try
            {
                await schemas.ListSchemasAsync(new ListSchemasRequest(), deadline: DateTime.UtcNow.AddSeconds(2), cancellationToken: ct);
                return;
            }
            catch (RpcException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200, ct);
            }
        }
    }

    private Task WaitUntilAliveAsync(TimeSpan timeout, CancellationToken ct) => WaitForProbeAsync("/health/live", timeout, TimeSpan.FromMilliseconds(200), ct);

    /// <summary>Waits until the readiness probe answers 200 (migrated, figures loaded), asking every <paramref name="every"/>.</summary>
    public Task WaitUntilReadyAsync(TimeSpan timeout, TimeSpan every, CancellationToken ct = default) => WaitForProbeAsync("/health/ready", timeout, every, ct);

    private async Task WaitForProbeAsync(string probe, TimeSpan timeout, TimeSpan every, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = ManagementAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Le serveur s'est arrêté au démarrage (code {_process.ExitCode}) :{Environment.NewLine}{RecentOutput}");
            }

            try
            {
                using var answer = await http.GetAsync(probe, ct);
                if (answer.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when ((e is HttpRequestException or TaskCanceledException) && !ct.IsCancellationRequested && DateTime.UtcNow < deadline)
            {
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"Le serveur ne répond pas sur {ManagementAddress}{probe.TrimStart('/')} :{Environment.NewLine}{RecentOutput}");
            }

            await Task.Delay(every, ct);
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Enqueue(line);
            while (_output.Count > 50)
            {
                _output.Dequeue();
            }
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>How a child server is told where to listen, as an operator would tell any ASP.NET Core application.</summary>
public enum ListenWith
{
    /// <summary>Kestrel:Endpoints:Grpc:Url (environment Kestrel__Endpoints__Grpc__Url).</summary>
    Endpoint,

    /// <summary>The --urls command-line argument.</summary>
    UrlsArgument,

    /// <summary>The ASPNETCORE_URLS environment variable.</summary>
    UrlsEnvironment,
}
