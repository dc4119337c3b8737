using System.CommandLine;
using Google.Protobuf;

namespace Observatoire.Cli.Infrastructure;

/// <summary>Options shared by several commands, and the JSON formatter of --format json.</summary>
public static class CommonOptions
{
    /// <summary>Value of --format for tables and trees.</summary>
    public const string Text = "text";

    /// <summary>Value of --format for protobuf JSON.</summary>
    public const string Json = "json";

    /// <summary>Protobuf JSON with the proto field names, default values included, indented.</summary>
    public static readonly JsonFormatter JsonFormatter = new(
        JsonFormatter.Settings.Default
            .WithPreserveProtoFieldNames(true)
            .WithFormatDefaultValues(true)
            .WithIndentation());

    /// <summary>--format text|json.</summary>
    public static Option<string> Format()
    {
        var option = new Option<string>("--format")
        {
            Description = "Format de sortie : text (tableaux) ou json (JSON protobuf, noms de champs du contrat).",
            DefaultValueFactory = _ => Text,
            HelpName = "text|json",
        };
        option.AcceptOnlyFromAmong(Text, Json);
        return option;
    }

    /// <summary>Whether an address is an absolute http(s) URL.</summary>
    public static bool IsServerAddress(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
