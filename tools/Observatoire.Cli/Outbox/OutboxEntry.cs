using Observatoire.Protos.V1;

namespace Observatoire.Cli.Outbox;

/// <summary>A grid waiting in the outbox, with the submission id it keeps until the server has it.</summary>
public sealed class OutboxEntry
{
    /// <summary>The submission id, fixed when the grid was first submitted: every later send is the same submission.</summary>
    public required string SubmissionId { get; init; }

    /// <summary>The --client-id of the submit that queued it.</summary>
    public required string ClientId { get; init; }

    /// <summary>The server the grid was meant for.</summary>
    public required string Server { get; init; }

    /// <summary>Where the grid was read ("grille-2025.xlsx, feuille « Mars »").</summary>
    public required string Source { get; init; }

    /// <summary>When the grid entered the outbox.</summary>
    public required DateTimeOffset QueuedAt { get; init; }

    /// <summary>The grid.</summary>
    public required Grid Grid { get; init; }

    /// <summary>Where each cell path of the grid is in the file it came from ("'Mars'!B12"), for messages; empty for JSON and CSV.</summary>
    public IReadOnlyDictionary<string, string> Places { get; init; } = new Dictionary<string, string>();

    /// <summary>Sends tried since it was queued.</summary>
    public int Attempts { get; set; }

    /// <summary>Why the last send failed, in French.</summary>
    public string? LastError { get; set; }

    /// <summary>For an entry moved aside: why the server refused it (a reason retrying cannot fix).</summary>
    public string? RefusedReason { get; set; }

    /// <summary>For an entry moved aside: when.</summary>
    public DateTimeOffset? RefusedAt { get; set; }
}
