using System.CommandLine;
using Google.Protobuf;
using Grpc.Core;
using Observatoire.Cli.Infrastructure;
using Observatoire.Protos.V1;
using Spectre.Console;

namespace Observatoire.Cli.Commands;

/// <summary>What the administration verbs share: one call, its refusal printed in French, JSON or a table.</summary>
public abstract class AdminCommandBase : CommandBase
{
    /// <summary>Creates a command bound to a context and a server address.</summary>
    protected AdminCommandBase(CliContext context, string server)
        : base(context, server)
    {
    }

    /// <summary>The administrator's service.</summary>
    protected AdminService.AdminServiceClient Admin => new(Channel);

    /// <summary>Runs a call; on a refusal prints "<paramref name="what"/> : status — message" and returns null.</summary>
    protected async Task<T?> TryCallAsync<T>(string what, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return await CallAsync(call, cancellationToken);
        }
        catch (RpcException ex) when (ex.StatusCode != StatusCode.Unavailable)
        {
            Context.Error.MarkupLineInterpolated($"[red]{what} : {RpcErrors.StatusName(ex.StatusCode)}[/] — {RpcErrors.Detail(ex)}");
            ViolationRenderer.Write(Context.Error, RpcErrors.Violations(ex));
            return null;
        }
    }

    /// <summary>Writes a message as protobuf JSON (proto field names).</summary>
    protected int WriteJson(IMessage message)
    {
        Context.WriteRaw(CommonOptions.JsonFormatter.Format(message) + Environment.NewLine);
        return ExitCodes.Success;
    }

    /// <summary>A rounded table with these column headers.</summary>
    protected static Table NewTable(params string[] columns)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var column in columns)
        {
            table.AddColumn(new TableColumn(column));
        }

        return table;
    }

    /// <summary>An option with a description and help name.</summary>
    protected static Option<T> Opt<T>(string name, string description, string helpName, bool required = false) =>
        new(name) { Description = description, HelpName = helpName, Required = required };

    /// <summary>An ISO date or an empty string.</summary>
    protected static string DateOrEmpty(Google.Protobuf.WellKnownTypes.Timestamp? timestamp, TimeZoneInfo zone) =>
        timestamp is null ? "—" : Labels.DateTime(timestamp, zone);
}
