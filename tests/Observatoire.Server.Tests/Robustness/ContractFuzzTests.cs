using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Observatoire.Protos.V1;

namespace Observatoire.Server.Tests.Robustness;

/// <summary>
/// Every method of the contract, called with random requests built from its descriptor (<see cref="RandomRequests"/>)
/// by each role: no answer may be INTERNAL, UNKNOWN or DATA_LOSS, none may outlast its deadline, no answer outside the
/// public registry may name a post the caller may not see and did not name itself (lists, outliers, the audit: the
/// direct requests for another post are the access tests'), and the server serves normally afterwards. The corpus tests check chosen inputs; this one checks the inputs nobody chose, on every
/// method, including those added after it was written; the REST routes (JSON transcoding) likewise get random query
/// strings and must never answer 5xx. The seed is fixed, so a failure is reproducible; each failure names the method,
/// the role and the request.
/// </summary>
public class ContractFuzzTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    /// <summary>Random requests per method (or route) and role: 25, or OBSERVATOIRE_FUZZ_REQUESTS for a longer run by hand.</summary>
    private static readonly int RequestsPerMethod =
        int.TryParse(Environment.GetEnvironmentVariable("OBSERVATOIRE_FUZZ_REQUESTS"), out var requests) && requests > 0 ? requests : 25;

    /// <summary>
    /// Never an answer here. UNAVAILABLE says the storage failed, and nothing in this test breaks it: a request that
    /// gets it has had a value the database refused taken for a failure of the database (a NUL character on PostgreSQL
    /// did, before <see cref="Grpc.RequestTextGuard"/>).
    /// </summary>
    private static readonly StatusCode[] Forbidden = [StatusCode.Internal, StatusCode.Unknown, StatusCode.DataLoss, StatusCode.Unavailable];

    private static readonly FileDescriptor[] Contract =
    [
        AdminReflection.Descriptor, AggregateReflection.Descriptor, EditionReflection.Descriptor, GridReflection.Descriptor,
        RegistryReflection.Descriptor, ReportReflection.Descriptor, SchemaReflection.Descriptor, ServerInfoReflection.Descriptor,
    ];

    [Fact]
    public async Task No_random_request_to_any_method_by_any_role_is_answered_internal_or_unknown()
    {
        var post = TestGrids.MonthlyPost(5);
        var grids = new GridService.GridServiceClient(server.CreateChannel());
        await SimulateYearAsync(post.DepartmentCode, TestGrids.MonthlyPost(40).DepartmentCode);

        var callers = new (string Role, string Key)[]
        {
            ("admin", ServerFixture.AdminKey),
            ("analyste départemental", await server.AnalystKeyAsync("departement:" + post.DepartmentCode)),
            ("poste", await server.PostKeyAsync(post.Id)),
            ("rapport", await server.ReportKeyAsync()),
        };
        var known = await KnownValuesAsync();
        var postIds = (await new RegistryService.RegistryServiceClient(server.CreateChannel()).ListPostsAsync(new ListPostsRequest())).Posts.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);

        // Which posts an answer may name (outside the public registry): every one for an administrator, its own for a
        // post, none for the others (figures are published by area, never by post; those who follow an area's
        // completeness see which posts owe a grid).
        bool mayName(string role, string postId) => role == "admin" || (role == "poste" && postId == post.Id);
        var methods = Contract.SelectMany(f => f.Services).SelectMany(s => s.Methods).ToList();
        Assert.True(methods.Count >= 30, $"only {methods.Count} methods found in the contract");

        var failures = new List<string>();
        var calls = 0;
        foreach (var (role, key) in callers)
        {
            using var channel = server.CreateChannel(key);
            var invoker = channel.CreateCallInvoker();
            foreach (var method in methods)
            {
                // One seed per method and role: a failure comes back the same on the next run.
                var requests = new RandomRequests(new Random(StableHash(method.FullName + role)), known);
                for (var i = 0; i < RequestsPerMethod; i++)
                {
                    var request = requests.Next(method.InputType);
                    calls++;
                    var answers = new List<IMessage>();
                    var rowsBefore = await RowCountsAsync();
                    var (failure, refusal) = await CallAsync(invoker, method, request, answers);
                    if (failure is not null)
                    {
                        failures.Add($"{method.FullName} as {role}, request {i}: {failure}; request {Describe(request)}");
                    }
                    else if (refusal is not null && answers.Count == 0 && await RowCountsAsync() is var rowsAfter && rowsAfter != rowsBefore)
                    {
                        // A call refused before any answer wrote nothing: no row of any table came or went.
                        var changed = rowsAfter.Split(' ').Except(rowsBefore.Split(' '));
                        failures.Add($"{method.FullName} as {role}, request {i}: refused ({refusal.StatusCode} {refusal.Status.Detail}) after writing ({string.Join(' ', changed)}); request {Describe(request)}");
                    }

                    // The registry is public; what the request itself holds is only repeated back.
                    var asked = new HashSet<string>(StringComparer.Ordinal);
                    CollectTexts(request, asked, maxLength: 64);
                    var texts = new HashSet<string>(StringComparer.Ordinal);
                    // Which posts sent or owe a grid is completeness, which those who follow an area see (not a figure).
                    MessageDescriptor[] skip = role == "poste" ? [] : [MissingGrid.Descriptor, PostCompleteness.Descriptor];
                    answers.Where(_ => method.Service.Name != RegistryService.Descriptor.Name).ToList().ForEach(a => CollectTexts(a, texts, maxLength: 64, skip));
                    foreach (var leaked in texts.Where(t => postIds.Contains(t) && !asked.Contains(t) && !mayName(role, t)))
                    {
                        failures.Add($"{method.FullName} as {role}, request {i}: names post {leaked}; request {Describe(request)}");
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {calls} calls failed:{Environment.NewLine}{string.Join(Environment.NewLine, failures.Take(200))}");

        // Still serving: a valid grid is accepted and read back.
        var after = await grids.SubmitGridAsync(TestGrids.Submission(TestGrids.Valid(post.Id, "2025-04")));
        Assert.Equal(post.Id, (await grids.GetGridAsync(new GetGridRequest { PostId = post.Id, Period = "2025-04" })).Grid.PostId);
        Assert.True(after.Revision >= 1);

        // After all those writes, corrections and registry changes, the live figures are what a server starting on
        // the same file computes from it.
        await ColdStartFigures.AssertSameAsLiveAsync(server, post.DepartmentCode, TestGrids.MonthlyPost(40).DepartmentCode);
    }

    [Fact]
    public async Task No_random_query_to_any_rest_route_by_any_role_is_a_server_error()
    {
        var post = TestGrids.MonthlyPost(6);
        var callers = new (string Role, string? Key)[]
        {
            ("admin", ServerFixture.AdminKey),
            ("analyste départemental", await server.AnalystKeyAsync("departement:" + post.DepartmentCode)),
            ("poste", await server.PostKeyAsync(post.Id)),
            ("sans clé", null),
        };
        var known = await KnownValuesAsync();

        // Every GET binding of the contract (JSON transcoding), additional ones included.
        var routes = Contract.SelectMany(f => f.Services).SelectMany(s => s.Methods)
            .Select(m => (Method: m, Rule: m.GetOptions()?.GetExtension(Google.Api.AnnotationsExtensions.Http)))
            .Where(r => r.Rule is not null)
            .SelectMany(r => r.Rule!.AdditionalBindings.Prepend(r.Rule).Where(b => b.Get.Length > 0).Select(b => (r.Method, Path: b.Get)))
            .ToList();
        Assert.True(routes.Count >= 10, $"only {routes.Count} routes found in the contract");

        var failures = new List<string>();
        var calls = 0;
        foreach (var (role, key) in callers)
        {
            using var client = server.CreateRestClient(key);
            foreach (var (method, path) in routes)
            {
                var requests = new RandomRequests(new Random(StableHash(path + role)), known);
                for (var i = 0; i < RequestsPerMethod; i++)
                {
                    var url = requests.Url(path, method.InputType);
                    calls++;
                    using var response = await client.GetAsync(url);
                    if ((int)response.StatusCode >= 500)
                    {
                        var body = await response.Content.ReadAsStringAsync();
                        failures.Add($"GET {(url.Length <= 400 ? url : url[..400] + "…")} as {role}: {(int)response.StatusCode} {(body.Length <= 300 ? body : body[..300])}");
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {calls} calls failed:{Environment.NewLine}{string.Join(Environment.NewLine, failures.Take(200))}");
    }

    /// <summary>
    /// A simulated year 2025 (realistic counts, late and missing grids, outliers) for the posts of these departments, so
    /// that random requests find figures, series, outliers and gaps to answer with.
    /// </summary>
    private async Task SimulateYearAsync(params string[] departments)
    {
        using var channel = server.CreateChannel();
        var registry = new RegistryService.RegistryServiceClient(channel);
        var posts = (await registry.ListPostsAsync(new ListPostsRequest())).Posts.Where(p => departments.Contains(p.DepartmentCode)).ToList();
        var schema = new Simulation.SimulationSchema(await new SchemaService.SchemaServiceClient(channel).GetSchemaAsync(new GetSchemaRequest()));
        var options = new Simulation.SimulationOptions { Year = 2025, Now = DateTimeOffset.UtcNow, Seed = 11, Outliers = 10 };
        var simulated = new Simulation.GridSimulator(posts, (await registry.ListDepartmentsAsync(new ListDepartmentsRequest())).Departments, schema, options).Run();

        using var call = new GridService.GridServiceClient(channel).SubmitGrids();
        var results = Task.Run(async () => await call.ResponseStream.ReadAllAsync().CountAsync(r => r.Status == "OK"));
        var sent = 0;
        foreach (var grid in simulated.Sent)
        {
            await call.RequestStream.WriteAsync(grid.ToRequest("fuzz"));
            sent++;
        }

        await call.RequestStream.CompleteAsync();
        Assert.Equal(sent, await results);
        Assert.True(sent > 20, $"only {sent} simulated grids");
    }

    /// <summary>
    /// The number of rows of every table of the model, as one text ("GridRevisions=151 Submissions=151 …"); not the
    /// audit, which records an administrator's raw reads as they are asked for, found or not.
    /// </summary>
    private Task<string> RowCountsAsync() =>
        server.QueryAsync(async db =>
        {
            var counts = new List<string>();
            var tables = db.Model.GetEntityTypes().Where(e => e.ClrType != typeof(Data.Entities.AuditEntry)).Select(e => e.GetTableName());
            await db.Database.OpenConnectionAsync();
            var connection = db.Database.GetDbConnection();
            foreach (var table in tables.OfType<string>().Distinct().Order(StringComparer.Ordinal))
            {
                await using var command = connection.CreateCommand();
                command.CommandText = $"SELECT COUNT(*) FROM \"{table}\"";
                counts.Add($"{table}={await command.ExecuteScalarAsync()}");
            }

            return string.Join(' ', counts);
        });

    /// <summary>What the server calls its own codes (posts, departments, regions, cells, versions), from a few listings.</summary>
    private async Task<KnownValues> KnownValuesAsync()
    {
        using var channel = server.CreateChannel();
        var registry = new RegistryService.RegistryServiceClient(channel);
        var schemas = new SchemaService.SchemaServiceClient(channel);
        IMessage[] answers =
        [
            await registry.ListRegionsAsync(new ListRegionsRequest()),
            await registry.ListDepartmentsAsync(new ListDepartmentsRequest()),
            await registry.ListPostsAsync(new ListPostsRequest()),
            await schemas.GetSchemaAsync(new GetSchemaRequest()),
        ];
        string[] periods = ["2025", "2025-03", "2025-T1", "2025-12", "2024", "2024-12", "2016-01", "2030"];
        return new KnownValues(answers, [.. periods, "national", "region:11", "departement:75"])
            .With("period", periods).With("from", periods).With("to", periods).With("active_on", "2025-06-30", "2016-01-01");
    }

    private static void CollectTexts(IMessage message, HashSet<string> texts, int maxLength, MessageDescriptor[]? skip = null) =>
        MessageTexts.Visit(message, (_, _, text) =>
        {
            if (text.Length <= maxLength)
            {
                texts.Add(text);
            }
        }, skip);

    /// <summary>What went wrong (null when the call ended acceptably: an answer or a clean refusal), and the refusal if any.</summary>
    private static async Task<(string? Failure, RpcException? Refusal)> CallAsync(CallInvoker invoker, MethodDescriptor method, IMessage request, List<IMessage> answers)
    {
        var options = new CallOptions(deadline: DateTime.UtcNow.AddSeconds(60));
        var marshalled = new Method<IMessage, IMessage>(
            (method.IsClientStreaming, method.IsServerStreaming) switch
            {
                (false, false) => MethodType.Unary,
                (false, true) => MethodType.ServerStreaming,
                (true, false) => MethodType.ClientStreaming,
                _ => MethodType.DuplexStreaming,
            },
            method.Service.FullName,
            method.Name,
            Marshallers.Create<IMessage>(m => m.ToByteArray(), b => method.InputType.Parser.ParseFrom(b)),
            Marshallers.Create<IMessage>(m => m.ToByteArray(), b => method.OutputType.Parser.ParseFrom(b)));
        try
        {
            switch (marshalled.Type)
            {
                case MethodType.Unary:
                    answers.Add(await invoker.AsyncUnaryCall(marshalled, null, options, request));
                    break;
                case MethodType.ServerStreaming:
                {
                    using var call = invoker.AsyncServerStreamingCall(marshalled, null, options, request);
                    await foreach (var answer in call.ResponseStream.ReadAllAsync())
                    {
                        answers.Add(answer);
                    }

                    break;
                }

                default:
                {
                    // A few of the same request, then the end of the stream, reading every answer.
                    using var call = invoker.AsyncDuplexStreamingCall(marshalled, null, options);
                    var reading = Task.Run(async () =>
                    {
                        await foreach (var answer in call.ResponseStream.ReadAllAsync())
                        {
                            answers.Add(answer);
                        }
                    });
                    for (var i = 0; i < 3; i++)
                    {
                        await call.RequestStream.WriteAsync(request);
                    }

                    await call.RequestStream.CompleteAsync();
                    await reading;
                    break;
                }
            }

            return (null, null);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.DeadlineExceeded)
        {
            return ("still running after 60 s", e);
        }
        catch (RpcException e) when (Forbidden.Contains(e.StatusCode))
        {
            return ($"{e.StatusCode} {e.Status.Detail}", e);
        }
        catch (RpcException e)
        {
            return (null, e);
        }
    }

    private static string Describe(IMessage request)
    {
        string text;
        try
        {
            text = JsonFormatter.Default.Format(request);
        }
        catch (InvalidOperationException)
        {
            // A timestamp out of JSON's range: the bytes instead.
            text = Convert.ToBase64String(request.ToByteArray());
        }

        return text.Length <= 600 ? text : text[..600] + $"… ({text.Length} characters)";
    }

    private static int StableHash(string text)
    {
        var hash = 17;
        foreach (var c in text)
        {
            hash = unchecked((hash * 31) + c);
        }

        return hash;
    }
}
