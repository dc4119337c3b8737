using Grpc.Core;
using Observatoire.Server.Security;

namespace Observatoire.Server.Grpc;

/// <summary>
/// The bounds of a streamed answer, said once for every streaming method: places among what the caller's key holds
/// open (<see cref="OpenStreams"/>: refused RESOURCE_EXHAUSTED beyond, before any work), and a writer that drops the call
/// when the client stops reading (<see cref="ResponsePacing"/>).
/// </summary>
internal sealed class StreamedAnswers(OpenStreams openStreams, ResponsePacing pacing)
{
    /// <summary>Takes a place of each kind for the caller's key (all or none) and paces the writer; dispose to give the places back.</summary>
    public StreamedAnswer<T> Begin<T>(IServerStreamWriter<T> writer, ServerCallContext context, params OpenStreamKind[] kinds)
    {
        var keyId = context.Caller().KeyId;
        var places = new List<IDisposable>(kinds.Length);
        try
        {
            foreach (var kind in kinds)
            {
                places.Add(openStreams.Enter(keyId, kind));
            }
        }
        catch (RpcException)
        {
            places.ForEach(p => p.Dispose());
            throw;
        }

        return new StreamedAnswer<T>(pacing.Of(writer, context), places);
    }
}

/// <summary>A streamed answer's paced writer and the places it holds until disposed.</summary>
internal sealed class StreamedAnswer<T>(IServerStreamWriter<T> writer, List<IDisposable> places) : IDisposable
{
    public IServerStreamWriter<T> Writer => writer;

    public void Dispose() => places.ForEach(p => p.Dispose());
}
