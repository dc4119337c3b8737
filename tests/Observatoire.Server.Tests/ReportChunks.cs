using Grpc.Core;
using Observatoire.Protos.V1;

namespace Observatoire.Server.Tests;

/// <summary>Reads a streamed document (report, bilan, export) to its bytes and its summary, as a client does.</summary>
public static class ReportChunks
{
    /// <summary>The file's bytes in order and the summary that ends the stream; fails when the summary is missing or its size disagrees.</summary>
    public static async Task<(byte[] Bytes, ReportSummary Summary)> ReadAsync(AsyncServerStreamingCall<ReportChunk> call)
    {
        using (call)
        {
            using var bytes = new MemoryStream();
            ReportSummary? summary = null;
            await foreach (var chunk in call.ResponseStream.ReadAllAsync())
            {
                if (chunk.ContentCase == ReportChunk.ContentOneofCase.Data)
                {
                    chunk.Data.WriteTo(bytes);
                }
                else if (chunk.ContentCase == ReportChunk.ContentOneofCase.Summary)
                {
                    summary = chunk.Summary;
                }
            }

            Assert.NotNull(summary);
            Assert.Equal(summary.Bytes, bytes.Length);
            return (bytes.ToArray(), summary);
        }
    }
}
