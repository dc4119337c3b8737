using System.Collections.Concurrent;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Observatoire.Benchmarks.Echo;
using Observatoire.Protos.V1;

namespace Observatoire.Benchmarks.Ingest;

/// <summary>A channel as the CLI and the soak test open one: clear text on loopback, the key sent as a bearer token.</summary>
internal static class Channels
{
    public static GrpcChannel Open(Uri address, string apiKey)
    {
        var key = CallCredentials.FromInterceptor((_, metadata) =>
        {
            metadata.Add("authorization", $"Bearer {apiKey}");
            return Task.CompletedTask;
        });
        return GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            Credentials = ChannelCredentials.Create(ChannelCredentials.Insecure, key),
            UnsafeUseInsecureChannelCallCredentials = true,
            MaxReceiveMessageSize = 16 * 1024 * 1024,
        });
    }
}

/// <summary>Echoes a payload of a grid submission's size; each client on its own channel.</summary>
internal sealed class EchoClient(GrpcChannel channel, ByteString payload, int budget) : ILoadClient
{
    private readonly EchoService.EchoServiceClient _client = new(channel);
    private AsyncDuplexStreamingCall<EchoMessage, EchoMessage>? _stream;
    private int _left = budget;

    public async Task<bool> CallAsync(CancellationToken ct)
    {
        if (Interlocked.Decrement(ref _left) < 0)
        {
            return false;
        }

        var answer = await _client.EchoAsync(new EchoMessage { Id = "e", Payload = payload }, cancellationToken: ct);
        return answer.Payload.Length == payload.Length ? true : throw new InvalidOperationException("echo altered");
    }

    public void OpenStream(CancellationToken ct) => _stream = _client.EchoStream(cancellationToken: ct);

    public async Task<bool> SendAsync(CancellationToken ct)
    {
        if (Interlocked.Decrement(ref _left) < 0)
        {
            return false;
        }

        await _stream!.RequestStream.WriteAsync(new EchoMessage { Id = "e", Payload = payload }, ct);
        return true;
    }

    public Task CompleteAsync() => _stream!.RequestStream.CompleteAsync();

    public async Task<bool?> ReceiveAsync(CancellationToken ct) =>
        await _stream!.ResponseStream.MoveNext(ct) ? _stream.ResponseStream.Current.Payload.Length == payload.Length : null;

    public ValueTask DisposeAsync()
    {
        _stream?.Dispose();
        channel.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>Submits distinct valid grids taken from a shared pool; each client on its own channel.</summary>
internal sealed class GridClient(GrpcChannel channel, ConcurrentQueue<SubmitGridRequest> pool) : ILoadClient
{
    private readonly GridService.GridServiceClient _client = new(channel);
    private AsyncDuplexStreamingCall<SubmitGridRequest, SubmitGridResult>? _stream;

    public async Task<bool> CallAsync(CancellationToken ct)
    {
        if (!pool.TryDequeue(out var request))
        {
            return false;
        }

        var answer = await _client.SubmitGridAsync(request, cancellationToken: ct);
        return answer.Replayed ? throw new InvalidOperationException("grille déjà reçue : le lot n'est pas distinct") : true;
    }

    public void OpenStream(CancellationToken ct) => _stream = _client.SubmitGrids(cancellationToken: ct);

    public async Task<bool> SendAsync(CancellationToken ct)
    {
        if (!pool.TryDequeue(out var request))
        {
            return false;
        }

        await _stream!.RequestStream.WriteAsync(request, ct);
        return true;
    }

    public Task CompleteAsync() => _stream!.RequestStream.CompleteAsync();

    public async Task<bool?> ReceiveAsync(CancellationToken ct) =>
        await _stream!.ResponseStream.MoveNext(ct)
            ? _stream.ResponseStream.Current is { Status: "OK", Response.Replayed: false }
            : null;

    public ValueTask DisposeAsync()
    {
        _stream?.Dispose();
        channel.Dispose();
        return ValueTask.CompletedTask;
    }
}
