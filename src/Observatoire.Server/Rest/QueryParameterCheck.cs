using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using Observatoire.Core.Validation;

namespace Observatoire.Server.Rest;

/// <summary>
/// The query string of a REST call, checked against its request message before JSON transcoding reads it: a value
/// the transcoding could not convert (an enum name it does not know, a boolean, a number, a timestamp) is refused as
/// the services refuse a field, INVALID_ARGUMENT with a google.rpc.BadRequest naming the parameter, in French, rather
/// than with the transcoding's English text and no detail. A parameter that names no field, or a single-value one given
/// twice, is refused the same way: the transcoding would ignore the first (a misspelt as_of read today's figures) and
/// answer the second in English.
/// </summary>
internal sealed class QueryParameterCheck(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.QueryString.HasValue
            && context.GetEndpoint()?.Metadata.GetMetadata<GrpcJsonTranscodingMetadata>() is { } rest
            && FirstProblem(rest.MethodDescriptor.InputType, context.Request.Query) is { } problem)
        {
            // The same status a service's refusal of a field carries, written as transcoding writes it.
            await RestErrors.WriteAsync(context, Grpc.RpcErrors.InvalidField(problem.Parameter, "PARAMETRE_INVALIDE", problem.Message).GetRpcStatus()!);
            return;
        }

        await next(context);
    }

    /// <summary>The first query parameter whose value its field cannot take, with why in French.</summary>
    internal static (string Parameter, string Message)? FirstProblem(MessageDescriptor input, IQueryCollection query)
    {
        foreach (var (name, values) in query)
        {
            if (Resolve(input, name) is not { } field)
            {
                // A misspelt parameter (asof for as_of) would otherwise be ignored: today's figures for an instant's.
                return (name, $"Paramètre « {ClientText.Quote(name, 80)} » inconnu à cette adresse ; paramètres acceptés : {string.Join(", ", Parameters(input, "", 0))}.");
            }

            if (values.Count > 1 && !field.IsRepeated)
            {
                return (name, $"Paramètre « {ClientText.Quote(name, 80)} » donné {values.Count} fois : il prend une seule valeur.");
            }

            foreach (var value in values)
            {
                if (Problem(field, value ?? "") is { } why)
                {
                    return (name, $"Paramètre « {ClientText.Quote(name, 80)} » : la valeur « {ClientText.Quote(value, 80)} » {why}");
                }
            }
        }

        return null;
    }

    /// <summary>The parameters a request message takes, dotted (a timestamp is one parameter).</summary>
    private static IEnumerable<string> Parameters(MessageDescriptor message, string prefix, int depth)
    {
        foreach (var field in message.Fields.InDeclarationOrder())
        {
            if (field.FieldType == FieldType.Message && !field.IsRepeated && depth < 3 && field.MessageType.FullName != Timestamp.Descriptor.FullName)
            {
                foreach (var inner in Parameters(field.MessageType, prefix + field.Name + ".", depth + 1))
                {
                    yield return inner;
                }
            }
            else
            {
                yield return prefix + field.Name;
            }
        }
    }

    /// <summary>The field a dotted parameter names (proto or JSON names, as the transcoding reads them), or null.</summary>
    private static FieldDescriptor? Resolve(MessageDescriptor message, string path)
    {
        FieldDescriptor? field = null;
        MessageDescriptor? current = message;
        foreach (var part in path.Split('.'))
        {
            if (current is null)
            {
                return null;
            }

            field = current.FindFieldByName(part) ?? current.Fields.InDeclarationOrder().FirstOrDefault(f => f.JsonName == part);
            if (field is null)
            {
                return null;
            }

            current = field.FieldType == FieldType.Message ? field.MessageType : null;
        }

        return field;
    }

    private static string? Problem(FieldDescriptor field, string value)
    {
        var invariant = CultureInfo.InvariantCulture;
        return field.FieldType switch
        {
            FieldType.Enum when field.EnumType.FindValueByName(value) is null
                && !(int.TryParse(value, NumberStyles.AllowLeadingSign, invariant, out var number) && field.EnumType.FindValueByNumber(number) is not null)
                => $"n'est pas une valeur connue : attendu {string.Join(", ", field.EnumType.Values.Select(v => v.Name))}.",
            FieldType.Bool when !bool.TryParse(value, out _) => "n'est pas un booléen : attendu true ou false.",
            FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 when !int.TryParse(value, NumberStyles.AllowLeadingSign, invariant, out _)
                => "n'est pas un nombre entier (32 bits).",
            FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 when !long.TryParse(value, NumberStyles.AllowLeadingSign, invariant, out _)
                => "n'est pas un nombre entier (64 bits).",
            FieldType.UInt32 or FieldType.Fixed32 when !uint.TryParse(value, NumberStyles.None, invariant, out _) => "n'est pas un nombre entier positif (32 bits).",
            FieldType.UInt64 or FieldType.Fixed64 when !ulong.TryParse(value, NumberStyles.None, invariant, out _) => "n'est pas un nombre entier positif (64 bits).",
            FieldType.Double or FieldType.Float when !double.TryParse(value, NumberStyles.Float, invariant, out _) => "n'est pas un nombre (point décimal).",
            FieldType.Message when field.MessageType.FullName == Timestamp.Descriptor.FullName && !IsTimestamp(value)
                => "n'est pas un instant valide : attendu AAAA-MM-JJThh:mm:ssZ (RFC 3339), par exemple 2026-03-31T12:00:00Z.",
            _ => null,
        };
    }

    private static bool IsTimestamp(string value)
    {
        try
        {
            JsonParser.Default.Parse<Timestamp>(System.Text.Json.JsonSerializer.Serialize(value));
            return true;
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidJsonException or FormatException or ArgumentException)
        {
            return false;
        }
    }
}
