using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;

namespace Observatoire.Server.Tests.Robustness;

/// <summary>The outcome of a raw gRPC exchange: HTTP status, grpc-status and grpc-message.</summary>
public sealed record RawGrpcAnswer(HttpStatusCode Http, string? GrpcStatus, string? GrpcMessage, int TrailerBytes);

/// <summary>
/// Sends bytes as a gRPC request over HTTP/2 to the in-process server, bypassing the generated client:
/// truncated, corrupted or oversized frames that no well-behaved client would send.
/// </summary>
public static class RawGrpc
{
    /// <summary>A gRPC length-prefixed frame: flag byte, 4-byte big-endian length, payload.</summary>
    public static byte[] Frame(ReadOnlySpan<byte> payload, bool compressed = false, int? declaredLength = null)
    {
        var frame = new byte[5 + payload.Length];
        frame[0] = compressed ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(1, 4), declaredLength ?? payload.Length);
        payload.CopyTo(frame.AsSpan(5));
        return frame;
    }

    /// <summary>A gzip member of <paramref name="payload"/> (RFC 1952), as grpc-encoding: gzip carries it.</summary>
    public static byte[] Gzip(byte[] payload)
    {
        using var output = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(payload);
        }

        return output.ToArray();
    }

    public static async Task<RawGrpcAnswer> PostAsync(ServerFixture server, string path, byte[] body, string contentType = "application/grpc", string? encoding = null)
    {
        using var content = new ByteArrayContent(body);
        return await PostAsync(server, path, content, contentType, encoding);
    }

    /// <summary>The same with a body of the caller's making (sent as it likes: in parts, slowly).</summary>
    public static async Task<RawGrpcAnswer> PostAsync(ServerFixture server, string path, HttpContent content, string contentType = "application/grpc", string? encoding = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(content);
        using var client = server.CreateDefaultClient();
        client.DefaultRequestVersion = HttpVersion.Version20;
        client.DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = content,
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));
        request.Headers.TryAddWithoutValidation("authorization", $"Bearer {ServerFixture.AdminKey}");
        if (encoding is not null)
        {
            request.Headers.TryAddWithoutValidation("grpc-encoding", encoding);
        }

        using var response = await client.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        var trailers = response.TrailingHeaders.Concat(response.Headers).ToList();
        string? Header(string name) => trailers.FirstOrDefault(h => h.Key == name).Value?.FirstOrDefault();
        var trailerBytes = response.TrailingHeaders.Sum(h => h.Key.Length + h.Value.Sum(v => v.Length));
        return new RawGrpcAnswer(response.StatusCode, Header("grpc-status"), Header("grpc-message"), trailerBytes);
    }
}
