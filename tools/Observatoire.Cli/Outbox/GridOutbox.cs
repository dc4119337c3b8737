using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Observatoire.Cli.Infrastructure;
using Observatoire.Protos.V1;

namespace Observatoire.Cli.Outbox;

/// <summary>
/// The grids that could not reach the server, one JSON file per grid in the user's data folder, never the current
/// folder. Every write is atomic (<see cref="AtomicFile"/>); an entry leaves the outbox only once the server has
/// answered for it, or is moved aside to <c>mises-de-cote/</c> with the server's reason when retrying cannot help.
/// </summary>
public sealed class GridOutbox
{
    /// <summary>Environment variable naming the data folder (tests, portable installs).</summary>
    public const string DataFolderEnvironmentVariable = "OBSERVATOIRE_DATA_DIR";

    /// <summary>Sub-folder of the entries moved aside.</summary>
    public const string RefusedFolderName = "mises-de-cote";

    private const string Extension = ".json";

    private static readonly JsonFormatter GridFormatter = new(JsonFormatter.Settings.Default.WithPreserveProtoFieldNames(true));
    private static readonly JsonParser GridParser = new(JsonParser.Settings.Default);
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>An outbox in <paramref name="folder"/>.</summary>
    public GridOutbox(string folder)
    {
        Folder = folder;
        RefusedFolder = Path.Combine(folder, RefusedFolderName);
    }

    /// <summary>The folder of the waiting entries.</summary>
    public string Folder { get; }

    /// <summary>The folder of the entries moved aside.</summary>
    public string RefusedFolder { get; }

    /// <summary>
    /// The outbox of the user: <c>$OBSERVATOIRE_DATA_DIR/outbox</c>, else under the user's data folder:
    /// <c>%LOCALAPPDATA%\Observatoire</c> on Windows, <c>$XDG_DATA_HOME/observatoire</c> or
    /// <c>~/.local/share/observatoire</c> elsewhere.
    /// </summary>
    /// <exception cref="UsageException">No data folder can be found.</exception>
    public static GridOutbox ForUser(Func<string, string?> environment)
    {
        var data = DataFolder(environment)
            ?? throw new UsageException($"dossier de données de l'utilisateur introuvable pour la boîte d'envoi : indiquez-en un avec la variable {DataFolderEnvironmentVariable}.");
        return new GridOutbox(Path.Combine(data, "outbox"));
    }

    /// <summary>The data folder of the tool, or null when none is known.</summary>
    public static string? DataFolder(Func<string, string?> environment)
    {
        if (Absolute(environment(DataFolderEnvironmentVariable)) is { } explicitFolder)
        {
            return explicitFolder;
        }

        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            var local = Absolute(environment("LOCALAPPDATA")) ?? Absolute(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData));
            return local is null ? null : Path.Combine(local, "Observatoire");
        }

        var xdg = Absolute(environment("XDG_DATA_HOME"))
            ?? (Absolute(environment("HOME")) is { } home ? Path.Combine(home, ".local", "share") : null);
        return xdg is null ? null : Path.Combine(xdg, "observatoire");
    }

    /// <summary>The waiting entries, oldest first, and the files that could not be read.</summary>
    public (IReadOnlyList<OutboxEntry> Entries, IReadOnlyList<string> Unreadable) Pending() => List(Folder);

    /// <summary>The entries moved aside, oldest first, and the files that could not be read.</summary>
    public (IReadOnlyList<OutboxEntry> Entries, IReadOnlyList<string> Unreadable) Refused() => List(RefusedFolder);

    /// <summary>Writes (or rewrites) an entry, atomically.</summary>
    public void Save(OutboxEntry entry) => Write(PathOf(Folder, entry), entry);

    /// <summary>Removes an entry the server has answered for; an entry already gone is fine (another sync took it).</summary>
    public void Remove(OutboxEntry entry)
    {
        var path = PathOf(Folder, entry);
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// Moves an entry aside with the reason: written to the aside folder first, then removed from the waiting ones,
    /// so that a crash in between leaves it in both places, never in none.
    /// </summary>
    public void MoveAside(OutboxEntry entry, string reason, DateTimeOffset now)
    {
        entry.RefusedReason = reason;
        entry.RefusedAt = now;
        Write(PathOf(RefusedFolder, entry), entry);
        Remove(entry);
    }

    /// <summary>Moves an unreadable file aside as it is (it is never deleted).</summary>
    public string MoveUnreadableAside(string file)
    {
        Directory.CreateDirectory(RefusedFolder);
        var target = Path.Combine(RefusedFolder, Path.GetFileNameWithoutExtension(file) + ".illisible" + Extension);
        File.Move(file, target, overwrite: true);
        return target;
    }

    private static string PathOf(string folder, OutboxEntry entry)
    {
        if (entry.SubmissionId.Length is 0 or > 100 || !entry.SubmissionId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new ArgumentException($"Identifiant de soumission inutilisable comme nom de fichier : « {entry.SubmissionId} ».", nameof(entry));
        }

        return Path.Combine(folder, entry.SubmissionId + Extension);
    }

    private static string? Absolute(string? path) => !string.IsNullOrWhiteSpace(path) && Path.IsPathFullyQualified(path) ? path : null;

    private static (IReadOnlyList<OutboxEntry>, IReadOnlyList<string>) List(string folder)
    {
        if (!Directory.Exists(folder))
        {
            return ([], []);
        }

        var entries = new List<OutboxEntry>();
        var unreadable = new List<string>();
        foreach (var file in Directory.EnumerateFiles(folder, "*" + Extension).Order(StringComparer.Ordinal))
        {
            if (Path.GetFileName(file).StartsWith('.'))
            {
                // A temporary file of an interrupted atomic write: the entry it was replacing is still whole.
                continue;
            }

            if (!file.EndsWith(".illisible" + Extension, StringComparison.Ordinal) && TryRead(file) is { } entry)
            {
                entries.Add(entry);
            }
            else
            {
                unreadable.Add(file);
            }
        }

        return ([.. entries.OrderBy(e => e.QueuedAt).ThenBy(e => e.SubmissionId, StringComparer.Ordinal)], unreadable);
    }

    private static void Write(string path, OutboxEntry entry)
    {
        var json = new JsonObject
        {
            ["submission_id"] = entry.SubmissionId,
            ["client_id"] = entry.ClientId,
            ["server"] = entry.Server,
            ["source"] = entry.Source,
            ["queued_at"] = entry.QueuedAt.ToString("O", CultureInfo.InvariantCulture),
            ["attempts"] = entry.Attempts,
            ["last_error"] = entry.LastError,
            ["refused_reason"] = entry.RefusedReason,
            ["refused_at"] = entry.RefusedAt?.ToString("O", CultureInfo.InvariantCulture),
            ["grid"] = JsonNode.Parse(GridFormatter.Format(entry.Grid)),
            ["places"] = new JsonObject(entry.Places.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)JsonValue.Create(p.Value)))),
        };
        var bytes = Encoding.UTF8.GetBytes(json.ToJsonString(Indented));
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }

    private static OutboxEntry? TryRead(string file)
    {
        try
        {
            if (new FileInfo(file).Length > 16 * 1024 * 1024)
            {
                return null;
            }

            var json = JsonNode.Parse(File.ReadAllText(file, Encoding.UTF8)) as JsonObject;
            if (json?["grid"] is not JsonObject grid || json["submission_id"]?.GetValue<string>() is not { Length: > 0 } id)
            {
                return null;
            }

            return new OutboxEntry
            {
                SubmissionId = id,
                ClientId = json["client_id"]?.GetValue<string>() ?? "",
                Server = json["server"]?.GetValue<string>() ?? "",
                Source = json["source"]?.GetValue<string>() ?? "",
                QueuedAt = DateTimeOffset.Parse(json["queued_at"]?.GetValue<string>() ?? "", CultureInfo.InvariantCulture),
                Attempts = json["attempts"]?.GetValue<int>() ?? 0,
                LastError = json["last_error"]?.GetValue<string>(),
                RefusedReason = json["refused_reason"]?.GetValue<string>(),
                RefusedAt = json["refused_at"]?.GetValue<string>() is { } at ? DateTimeOffset.Parse(at, CultureInfo.InvariantCulture) : null,
                Grid = GridParser.Parse<Grid>(grid.ToJsonString()),
                Places = json["places"] is JsonObject places
                    ? places.Where(p => p.Value is JsonValue).ToDictionary(p => p.Key, p => p.Value!.GetValue<string>(), StringComparer.Ordinal)
                    : new Dictionary<string, string>(),
            };
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or InvalidProtocolBufferException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
