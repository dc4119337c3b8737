using Observatoire.Data.PostgreSql;
using Observatoire.Server.Infrastructure;

namespace Observatoire.Server.Aggregates;

/// <summary>
/// On PostgreSQL, pushes the other instances' writes into this instance as they commit: it listens to the
/// database's change notifications and catches up (<see cref="GridFeedFollower.CatchUpAsync"/>, by change id) at
/// each one, and after every (re)connection for what it may have missed. Freshness does not depend on it (every call
/// still checks the feed's position first); it moves the catching up from the next call to the moment of the commit.
/// A lost connection is opened again after 1 s, then up to 30 s apart.
/// </summary>
internal sealed partial class ChangeListener(
    ObservatoireDatabase database,
    DatabaseReadiness readiness,
    GridFeedFollower follower,
    ILogger<ChangeListener> logger) : BackgroundService
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(30);

    private volatile bool _listening;

    /// <summary>Whether it listens now.</summary>
    public bool Listening => _listening;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The follower applies changes above the position the cube was loaded at: not before it is loaded.
        while (!readiness.IsReady)
        {
            if (readiness.HasFailed)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), stoppingToken);
        }

        var retry = FirstRetry;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await PostgreSqlChangeNotifications.ListenAsync(
                    database.ConnectionString,
                    () =>
                    {
                        _listening = true;
                        retry = FirstRetry;
                        LogListening(logger, PostgreSqlChangeNotifications.Channel);
                    },
                    follower.CatchUpAsync,
                    stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (UnknownGridVersionException e)
            {
                // Not a lost connection: nothing after that grid can be applied until a restart with the grid folder.
                // Listening again would only meet it again; every call and the health service say what to do.
                _listening = false;
                LogBlocked(logger, e.Version, e.Message);
                return;
            }
            catch (Exception e)
            {
                _listening = false;
                LogLost(logger, retry.TotalSeconds, e);
            }

            await Task.Delay(retry, stoppingToken);
            retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, LastRetry.Ticks));
        }
    }

    [LoggerMessage(EventId = 27, Level = LogLevel.Information, Message = "Listening to the database's change notifications ({Channel})")]
    private static partial void LogListening(ILogger logger, string channel);

    [LoggerMessage(EventId = 29, Level = LogLevel.Error, Message = "Stopped following the other instances at a grid of version {Version}: {Action}")]
    private static partial void LogBlocked(ILogger logger, string version, string action);

    [LoggerMessage(EventId = 28, Level = LogLevel.Warning, Message = "Change notifications lost; listening again in {Seconds} s (every call still checks the feed)")]
    private static partial void LogLost(ILogger logger, double seconds, Exception exception);
}
