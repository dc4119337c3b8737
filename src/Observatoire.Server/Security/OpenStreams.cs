using System.Collections.Concurrent;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace Observatoire.Server.Security;

/// <summary>What a key holds open: streams of grids, documents being sent (reports, bilans, exports, backups), reports being drawn, or requests waiting for suppression plans.</summary>
internal enum OpenStreamKind
{
    Grids,
    Documents,

    /// <summary>Annual reports and bilans being drawn, by gRPC or the pages (<see cref="SecurityOptions.MaxReportsPerKey"/>).</summary>
    Reports,

    /// <summary>Streams of the services that need no key (health's Watch, reflection), per key or client address.</summary>
    ServiceStreams,

    /// <summary>Workbooks being read for an account on the pages: one at a time, whatever the settings.</summary>
    Workbooks,

    /// <summary>
    /// Requests blocked waiting for suppression plans (<see cref="Core.Consolidation.ReaderWait"/>), each holding a
    /// thread until its plans are made (<see cref="SecurityOptions.MaxOpenStreamsPerKey"/>).
    /// </summary>
    PlanWaits,
}

/// <summary>
/// Bounds the streams a key holds open at once, of each kind (<see cref="SecurityOptions.MaxOpenStreamsPerKey"/>, and
/// <see cref="SecurityOptions.MaxReportsPerKey"/> for reports being drawn): the
/// rate limit counts calls as they begin, so without this a key could open a stream a call, leave each idle or unread
/// (a document waiting for its reader is held in memory), and hold as many as its calls allow. A stream beyond the bound
/// is refused RESOURCE_EXHAUSTED before any work.
/// </summary>
internal sealed class OpenStreams(IOptions<SecurityOptions> options)
{
    private readonly ConcurrentDictionary<(string KeyId, OpenStreamKind Kind), int> _open = new();

    /// <summary>A place for one more stream of <paramref name="keyId"/>, given back when disposed; refused RESOURCE_EXHAUSTED beyond the bound.</summary>
    public IDisposable Enter(string keyId, OpenStreamKind kind) =>
        TryEnter(keyId, kind, out var place) ? place : throw new RpcException(new Status(StatusCode.ResourceExhausted, Refusal(kind, Bound(kind))));

    /// <summary>A place for one more stream of <paramref name="keyId"/>, given back when disposed; false beyond the bound.</summary>
    public bool TryEnter(string keyId, OpenStreamKind kind, out IDisposable place)
    {
        var max = Bound(kind);
        place = Unbounded.Instance;
        if (max <= 0)
        {
            return true;
        }

        while (true)
        {
            var open = _open.GetValueOrDefault((keyId, kind));
            if (open >= max)
            {
                return false;
            }

            if (open == 0 ? _open.TryAdd((keyId, kind), 1) : _open.TryUpdate((keyId, kind), open + 1, open))
            {
                place = new Place(this, (keyId, kind));
                return true;
            }
        }
    }

    private int Bound(OpenStreamKind kind) => kind switch
    {
        OpenStreamKind.Reports => options.Value.MaxReportsPerKey,
        OpenStreamKind.Workbooks => 1,
        _ => options.Value.MaxOpenStreamsPerKey,
    };

    private static string Refusal(OpenStreamKind kind, int max) => kind switch
    {
        OpenStreamKind.Grids => $"Cette clé a déjà {max} flux de grilles ouverts : terminez-en un avant d'en ouvrir un autre (un seul flux suffit pour envoyer des milliers de grilles).",
        OpenStreamKind.Reports => $"Déjà {max} rapports ou bilans en préparation pour cette clé ou ce compte : attendez qu'ils soient prêts avant d'en demander un autre.",
        OpenStreamKind.ServiceStreams => $"Déjà {max} flux de santé ou de réflexion ouverts depuis cette clé ou cette adresse : fermez-en un avant d'en ouvrir un autre.",
        OpenStreamKind.Workbooks => Web.Grids.WorkbookReadings.Busy,
        OpenStreamKind.PlanWaits => $"Déjà {max} demandes de cette clé ou de ce compte attendent que le secret statistique de leurs chiffres soit calculé : réessayez quand elles auront abouti.",
        _ => $"Cette clé a déjà {max} documents en cours d'envoi (rapports, bilans, exports, sauvegardes) : lisez-les jusqu'au bout avant d'en demander d'autres.",
    };

    private void Leave((string KeyId, OpenStreamKind Kind) place)
    {
        while (true)
        {
            var open = _open[place];
            if (open == 1
                ? _open.TryRemove(new KeyValuePair<(string, OpenStreamKind), int>(place, 1))
                : _open.TryUpdate(place, open - 1, open))
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

    private sealed class Place(OpenStreams streams, (string KeyId, OpenStreamKind Kind) place) : IDisposable
    {
        private int _left;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _left, 1) == 0)
            {
                streams.Leave(place);
            }
        }
    }
}
