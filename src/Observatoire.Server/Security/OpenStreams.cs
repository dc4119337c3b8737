using System.Collections.Concurrent;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace Observatoire.Server.Security;

/// <summary>
/// Bounds the streams of grids a key holds open at once (<see cref="SecurityOptions.MaxOpenStreamsPerKey"/>): the rate
/// limit counts calls as they begin, so without this a key could open a stream a call, leave each idle, and hold as many
/// as its calls allow. A stream beyond the bound is refused RESOURCE_EXHAUSTED before it reads anything.
/// </summary>
internal sealed class OpenStreams(IOptions<SecurityOptions> options)
{
    private readonly ConcurrentDictionary<string, int> _open = new(StringComparer.Ordinal);

    /// <summary>Streams open now for <paramref name="keyId"/> (tests).</summary>
    public int OpenFor(string keyId) => _open.GetValueOrDefault(keyId);

    /// <summary>A place for one more stream of <paramref name="keyId"/>, given back when disposed; refused beyond the bound.</summary>
    public IDisposable Enter(string keyId)
    {
        var max = options.Value.MaxOpenStreamsPerKey;
        if (max <= 0)
        {
            return Unbounded.Instance;
        }

        while (true)
        {
            var open = _open.GetValueOrDefault(keyId);
            if (open >= max)
            {
                throw new RpcException(new Status(
                    StatusCode.ResourceExhausted,
                    $"Cette clé a déjà {max} flux de grilles ouverts : terminez-en un avant d'en ouvrir un autre (un seul flux suffit pour envoyer des milliers de grilles)."));
            }

            if (open == 0 ? _open.TryAdd(keyId, 1) : _open.TryUpdate(keyId, open + 1, open))
            {
                return new Place(this, keyId);
            }
        }
    }

    private void Leave(string keyId)
    {
        while (true)
        {
            var open = _open[keyId];
            if (open == 1
                ? _open.TryRemove(new KeyValuePair<string, int>(keyId, 1))
                : _open.TryUpdate(keyId, open - 1, open))
            {
                return;
            }
        }
    }

    private sealed class Unbounded : IDisposable
    {
        public static readonly Unbounded Instance = new();

        public void Dispose()
        {
        }
    }

    private sealed class Place(OpenStreams streams, string keyId) : IDisposable
    {
        private int _left;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _left, 1) == 0)
            {
                streams.Leave(keyId);
            }
        }
    }
}
