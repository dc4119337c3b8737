using System.Globalization;
using Microsoft.Extensions.Options;
using Observatoire.Server.Infrastructure;

namespace Observatoire.Server.Backups;

/// <summary>
/// Once a day (checked every Backups:CheckEveryMinutes), a snapshot "observatoire-AAAA-MM-JJ.db" and its manifest in
/// Backups:Folder; then only the snapshots <see cref="BackupRetention"/> keeps remain. Off without a folder.
/// </summary>
internal sealed partial class ScheduledBackups(
    BackupMaker maker,
    DatabaseReadiness readiness,
    IOptions<BackupOptions> options,
    IHostEnvironment environment,
    TimeProvider clock,
    ILogger<ScheduledBackups> logger) : BackgroundService
{
    private const string Prefix = "observatoire-";

    private readonly SemaphoreSlim _one = new(1, 1);

    /// <summary>The schedule's folder, or null when scheduled backups are off.</summary>
    public string? Folder => string.IsNullOrWhiteSpace(options.Value.Folder)
        ? null
        : Path.GetFullPath(Path.Combine(environment.ContentRootPath, options.Value.Folder));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (Folder is null || maker.Unsupported is not null)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(Math.Max(1, options.Value.CheckEveryMinutes)), clock);
        do
        {
            if (!readiness.IsReady)
            {
                continue;
            }

            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(logger, e.GetType().Name, e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Makes today's snapshot unless it exists, then removes those the retention drops. Returns today's file.</summary>
    public async Task<string?> RunOnceAsync(CancellationToken ct)
    {
        if (Folder is not { } folder)
        {
            return null;
        }

        await _one.WaitAsync(ct);
        try
        {
            return await RunLockedAsync(folder, ct);
        }
        finally
        {
            _one.Release();
        }
    }

    private async Task<string> RunLockedAsync(string folder, CancellationToken ct)
    {
        Directory.CreateDirectory(folder);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var file = Path.Combine(folder, $"{Prefix}{today:yyyy-MM-dd}.db");
        if (!File.Exists(file))
        {
            var partial = file + ".partiel";
            BackupMaker.TryDelete(partial);
            var backup = await maker.CreateAsync(partial, ct);
            await File.WriteAllTextAsync(file + ".manifest.json", backup.Manifest.ToJson(), ct);
            File.Move(partial, file);
            LogMade(logger, file, backup.Manifest.SizeBytes);
        }

        var dated = Directory.EnumerateFiles(folder, $"{Prefix}*.db")
            .Select(path => (Path: path, Day: DayOf(path)))
            .Where(f => f.Day is not null)
            .ToList();
        var keep = BackupRetention.Keep(dated.Select(f => f.Day!.Value), options.Value.Daily, options.Value.Monthly);
        foreach (var (path, day) in dated.Where(f => !keep.Contains(f.Day!.Value)))
        {
            BackupMaker.TryDelete(path);
            BackupMaker.TryDelete(path + ".manifest.json");
            LogRemoved(logger, path, day!.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }

        return file;
    }

    private static DateOnly? DayOf(string path)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        return name.StartsWith(Prefix, StringComparison.Ordinal)
            && DateOnly.TryParseExact(name[Prefix.Length..], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : null;
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Information, Message = "Scheduled backup {File} written ({Bytes} bytes)")]
    private static partial void LogMade(ILogger logger, string file, long bytes);

    [LoggerMessage(EventId = 41, Level = LogLevel.Information, Message = "Scheduled backup {File} of {Day} removed by the retention policy")]
    private static partial void LogRemoved(ILogger logger, string file, string day);

    [LoggerMessage(EventId = 42, Level = LogLevel.Error, Message = "Scheduled backup failed: {Error} {Message}")]
    private static partial void LogFailed(ILogger logger, string error, string message);
}
