using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Observatoire.Server.Grpc;

/// <summary>
/// Refuses, before any service reads it, a request whose text holds a NUL character (U+0000), or another control or
/// bidirectional control character (<see cref="IsForbidden"/>), wherever it is: any
/// string field of the message, at any depth, in lists and maps (keys included). A request stream (SubmitGrids, the
/// only one) is checked message by message by its service, so that one grid is refused and the others go on.
/// Protobuf carries the character as valid UTF-8, but PostgreSQL cannot store it in a text column, and no field of the
/// contract has a use for it. INVALID_ARGUMENT names the field, so a client knows what to fix; what the database
/// refuses anyway is <see cref="StorageGuardInterceptor"/>'s (never a storage failure).
/// </summary>
internal sealed class RequestTextGuard : Interceptor
{
    public const string RuleCode = "CARACTERE_INTERDIT";

    /// <summary>
    /// Deepest message nesting walked: protobuf's own recursion limit, so every message the parser accepted is walked
    /// whole; the bound only stops a message built deeper in process.
    /// </summary>
    private const int MaxDepth = 100;

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Check(request);
        return continuation(request, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Check(request);
        return continuation(request, responseStream, context);
    }

    /// <summary>The path of the first string holding a forbidden character (<see cref="IsForbidden"/>; e.g. <c>grid.values["x"]</c>, <c>post_ids[2]</c>), or null.</summary>
    /// <remarks>Paths are built only for the string found: a clean request (every one but a hostile few) allocates nothing.</remarks>
    public static string? FirstForbidden(IMessage message) => FirstForbidden(message, 0);

    /// <summary>INVALID_ARGUMENT naming the first field of <paramref name="request"/> that holds a forbidden character, or null.</summary>
    public static RpcException? Refusal(object? request) =>
        request is IMessage message && FirstForbidden(message) is { } path
            ? RpcErrors.InvalidField(path, RuleCode, $"Requête refusée : le champ {path} contient un caractère nul, de contrôle (hors tabulation et fins de ligne) ou d'orientation du texte (U+202A à U+202E, U+2066 à U+2069), que le serveur n'enregistre pas.")
            : null;

    private static void Check<T>(T request)
    {
        if (Refusal(request) is { } refusal)
        {
            throw refusal;
        }
    }

    private static string? FirstForbidden(IMessage message, int depth)
    {
        if (depth > MaxDepth)
        {
            return null;
        }

        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            if (field.FieldType is not (FieldType.String or FieldType.Message or FieldType.Group))
            {
                continue;
            }

            var value = field.Accessor.GetValue(message);
            if (field.IsMap)
            {
                var map = (System.Collections.IDictionary)value;
                foreach (var key in map.Keys)
                {
                    if (key is string text && IsForbidden(text))
                    {
                        return $"{field.Name}[{Quoted(text)}]";
                    }
                }

                // A map of numbers (a grid's cells) has no text in its values: they are not read (nor boxed).
                var valueField = field.MessageType.FindFieldByNumber(2);
                if (valueField.FieldType is FieldType.String or FieldType.Message or FieldType.Group)
                {
                    foreach (System.Collections.DictionaryEntry pair in map)
                    {
                        if (Element(valueField, pair.Value, depth) is { } found)
                        {
                            return $"{field.Name}[{Quoted(pair.Key)}]{found}";
                        }
                    }
                }
            }
            else if (field.IsRepeated)
            {
                var i = 0;
                foreach (var item in (System.Collections.IEnumerable)value)
                {
                    if (Element(field, item, depth) is { } found)
                    {
                        return $"{field.Name}[{i}]{found}";
                    }

                    i++;
                }
            }
            else if (Element(field, value, depth) is { } found)
            {
                return field.Name + found;
            }
        }

        return null;
    }

    /// <summary>"" for a string holding a forbidden character, ".inner.path" for a message holding one, else null.</summary>
    private static string? Element(FieldDescriptor field, object? value, int depth) => field.FieldType switch
    {
        FieldType.String when value is string text && IsForbidden(text) => "",
        FieldType.Message or FieldType.Group when value is IMessage nested && FirstForbidden(nested, depth + 1) is { } inner => "." + inner,
        _ => null,
    };

    /// <summary>
    /// A NUL, another control character (C0 but tab and line ends, DEL, C1) or a bidirectional control (embeddings,
    /// overrides, isolates): none is text a field of the contract has a use for, and each, stored, comes back in a
    /// terminal, a CSV or a page (an escape sequence retitling the terminal, a name shown backwards).
    /// </summary>
    private static bool IsForbidden(string text)
    {
        foreach (var c in text)
        {
            if ((char.IsControl(c) && c is not ('\t' or '\n' or '\r')) || c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069'))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A map key as shown in a path: printable and short (<see cref="Core.Validation.ClientText"/>).</summary>
    private static string Quoted(object? key) => key is string text ? $"\"{Core.Validation.ClientText.Quote(text)}\"" : Convert.ToString(key, System.Globalization.CultureInfo.InvariantCulture) ?? "";
}
