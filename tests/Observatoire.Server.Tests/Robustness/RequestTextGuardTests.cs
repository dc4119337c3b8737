using Google.Protobuf.WellKnownTypes;
using Observatoire.Server.Grpc;

namespace Observatoire.Server.Tests.Robustness;

/// <summary>
/// The walk of <see cref="RequestTextGuard"/> over any message, without a server: every string at any depth, in
/// lists and in maps (keys and text or message values), named by its path. The contract's own messages are the
/// integration tests'; the well-known Struct has the shapes the contract has not (yet): a map of messages, lists in it.
/// </summary>
public sealed class RequestTextGuardTests
{
    [Fact]
    public void A_clean_message_has_no_path()
    {
        Assert.Null(RequestTextGuard.FirstForbidden(TestGrids.Submission(TestGrids.Valid(TestGrids.MonthlyPost().Id, "2025-01", "Mois calme, rien à signaler."))));
        Assert.Null(RequestTextGuard.Refusal(Struct.Parser.ParseJson("""{ "a": ["x", { "b": "y" }], "c": 1 }""")));
        Assert.Null(RequestTextGuard.Refusal("not a message"));
    }

    [Theory]
    [InlineData("""{ "a": "x\u0000" }""", "fields[\"a\"].string_value")]
    [InlineData("""{ "a\u0000": 1 }""", "fields[\"a?\"]")]
    [InlineData("""{ "a": ["x", { "b": "\u0000" }] }""", "fields[\"a\"].list_value.values[1].struct_value.fields[\"b\"].string_value")]
    [InlineData("""{ "a": 1, "z": [[["\u0000"]]] }""", "fields[\"z\"].list_value.values[0].list_value.values[0].list_value.values[0].string_value")]
    public void A_nul_anywhere_is_found_and_named_by_its_path(string json, string path)
    {
        var message = Struct.Parser.ParseJson(json);
        Assert.Equal(path, RequestTextGuard.FirstForbidden(message));
        var refusal = Assert.IsType<global::Grpc.Core.RpcException>(RequestTextGuard.Refusal(message));
        Assert.Equal(global::Grpc.Core.StatusCode.InvalidArgument, refusal.StatusCode);
    }

    [Fact]
    public void Every_level_a_parsed_message_can_have_is_walked()
    {
        // 45 levels of lists are 91 levels of messages, within protobuf's limit of 100.
        var json = new string('[', 45) + "\"\\u0000\"" + new string(']', 45);
        var message = Struct.Parser.ParseJson($$"""{ "a": {{json}} }""");
        Assert.EndsWith(".list_value.values[0].string_value", RequestTextGuard.FirstForbidden(message));
    }
}
