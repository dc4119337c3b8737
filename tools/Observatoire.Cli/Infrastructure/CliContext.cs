using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Spectre.Console;

namespace Observatoire.Cli.Infrastructure;

/// <summary>What every command gets: consoles, settings, and the channel to the server.</summary>
public sealed class CliContext
{
    private readonly Func<string, GrpcChannel> _channelFactory;
    private readonly Dictionary<string, GrpcChannel> _channels = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CallInvoker> _gated = new(StringComparer.Ordinal);

    /// <summary>Creates a context.</summary>
    public CliContext(IAnsiConsole console, Func<string, GrpcChannel> channelFactory, CliSettings settings)
    {
        Console = console;
        Error = settings.ErrorConsole ?? console;
        Settings = settings;
        _channelFactory = channelFactory;
    }

    /// <summary>Output console: reports, tables, JSON.</summary>
    public IAnsiConsole Console { get; }

    /// <summary>Console for fatal errors.</summary>
    public IAnsiConsole Error { get; }

    /// <summary>Settings of this run.</summary>
    public CliSettings Settings { get; }

    /// <summary>The API key of this run (--api-key or OBSERVATOIRE_API_KEY); null: calls go without one.</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// Calls to a server address, carrying "authorization: Bearer" with the run's API key when there is one; the first
    /// one asks the server whether it still serves this client's version (<see cref="ClientVersionGate"/>).
    /// </summary>
    public CallInvoker Calls(string server)
    {
        if (!_gated.TryGetValue(server, out var gated))
        {
            var raw = Channel(server).CreateCallInvoker();
            gated = raw.Intercept(new ClientVersionGate(raw, server, Settings.ClientVersion));
            _gated.Add(server, gated);
        }

        return ApiKey is { Length: > 0 } key
            ? gated.Intercept(metadata =>
            {
                metadata.Add("authorization", $"Bearer {key}");
                return metadata;
            })
            : gated;
    }

    /// <summary>The channel to a server address, created on first use (the factory's caller owns it).</summary>
    public GrpcChannel Channel(string server)
    {
        if (!_channels.TryGetValue(server, out var channel))
        {
            channel = _channelFactory(server);
            _channels.Add(server, channel);
        }

        return channel;
    }

    /// <summary>Writes text as is, without Spectre wrapping or markup (JSON output, help).</summary>
    public void WriteRaw(string text)
    {
        var writer = Console.Profile.Out.Writer;
        writer.Write(text);
        writer.Flush();
    }
}
