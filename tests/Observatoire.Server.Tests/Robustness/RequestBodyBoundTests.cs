using System.Net;
using Google.Protobuf;
using Observatoire.Protos.V1;

namespace Observatoire.Server.Tests.Robustness;

/// <summary>
/// A single-message request is held in memory while it arrives: bounded in time (a body left incomplete is refused)
/// and, all callers together, in bytes (methods that need no key included).
/// </summary>
public sealed class RequestBodyBoundTests
{
    private const string Info = "/observatoire.v1.ServerInfoService/GetServerInfo";

    [Fact]
    public async Task A_body_that_stops_arriving_is_refused_after_the_delay()
    {
        using var server = new ServerFixture();
        server.Settings["Observatoire:RequestBodySeconds"] = "1";
        var frame = RawGrpc.Frame(new byte[2_000]);

        var answer = await RawGrpc.PostAsync(server, Info, new Trickle(frame[..1_000], TimeSpan.FromSeconds(20)));

        Assert.Equal("4", answer.GrpcStatus);
        Assert.Contains("incomplet", Uri.UnescapeDataString(answer.GrpcMessage ?? ""), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bodies_beyond_the_bytes_held_at_once_are_refused_and_the_count_comes_back()
    {
        using var server = new ServerFixture();
        server.Settings["Observatoire:MaxBufferedRequestBytes"] = "60000";
        var large = RawGrpc.Frame(new ValidateGridRequest { Grid = new Grid { Comment = new string('x', 70_000) } }.ToByteArray());
        var small = RawGrpc.Frame(new ValidateGridRequest().ToByteArray());

        Assert.Equal("8", (await RawGrpc.PostAsync(server, "/observatoire.v1.GridService/ValidateGrid", large)).GrpcStatus);

        // What the refused one held is given back: the next small ones pass, as many as they come.
        for (var i = 0; i < 5; i++)
        {
            Assert.NotEqual("8", (await RawGrpc.PostAsync(server, "/observatoire.v1.GridService/ValidateGrid", small)).GrpcStatus);
        }
    }

    /// <summary>Sends part of a body, then waits (a client that stops sending), without ever ending it in time.</summary>
    private sealed class Trickle(byte[] part, TimeSpan wait) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(part);
            await stream.FlushAsync();
            await Task.Delay(wait);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
