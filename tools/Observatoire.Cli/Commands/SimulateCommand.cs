using System.CommandLine;
using System.Diagnostics;
using Grpc.Core;
using Observatoire.Cli.Grids;
using Observatoire.Cli.Infrastructure;
using Observatoire.Cli.Simulation;
using Observatoire.Simulation;
using Observatoire.Protos.V1;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Observatoire.Cli.Commands;

/// <summary>
/// observatoire simulate: generates a realistic synthetic year for the active posts of the registry (see
/// <see cref="GridSimulator"/>) and submits it through the GridService.SubmitGrids stream, in batches, with the
/// simulated reception dates. Submission ids are derived from the seed, the post, the period and the content, so that
/// running the same simulation again replays instead of adding revisions.
/// </summary>
public sealed class SimulateCommand : CommandBase
{
    /// <summary>Client id recorded with the revisions.</summary>
    public const string DefaultClientId = "observatoire-simulate";

    /// <summary>Grids sent per SubmitGrids stream.</summary>
    public const int BatchSize = 200;

    private const int MaxListedRejections = 20;

    /// <summary>Creates the command for a server.</summary>
    public SimulateCommand(CliContext context, string server)
        : base(context, server)
    {
    }

    /// <summary>The System.CommandLine definition.</summary>
    public static Command Create(CliContext context, Option<string> serverOption)
    {
        var year = new Option<int>("--year", "-y")
        {
            Description = "Année simulée ; seules ses périodes déjà terminées sont produites.",
            HelpName = "ANNÉE",
            Required = true,
        };
        var seed = new Option<long>("--seed")
        {
            Description = "Graine : la même graine donne les mêmes grilles (défaut 1).",
            HelpName = "N",
            DefaultValueFactory = _ => 1,
        };
        var missing = Share("--missing", "Part des grilles attendues jamais reçues (défaut 0,03).", 0.03);
        var late = Share("--late", "Part des grilles attendues reçues en retard, 16 à 60 jours après la fin de la période (défaut 0,10).", 0.10);
        var outliers = new Option<int>("--outliers")
        {
            Description = "Nombre de grilles dont un indicateur est multiplié par 8 (défaut 5).",
            HelpName = "N",
            DefaultValueFactory = _ => 5,
        };
        outliers.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 0)
            {
                result.AddError("--outliers doit être positif ou nul.");
            }
        });
        var dryRun = new Option<bool>("--dry-run")
        {
            Description = "Produit les grilles sans rien envoyer (avec -o, les écrit dans un dossier).",
        };
        var output = new Option<string>("--output", "-o")
        {
            Description = "Avec --dry-run : dossier où écrire une grille JSON par poste et le récapitulatif simulation.csv.",
            HelpName = "DOSSIER",
        };
        var departments = new Option<string[]>("--department", "-d")
        {
            Description = "Seulement les postes de ces départements (option répétable).",
            HelpName = "CODE",
            AllowMultipleArgumentsPerToken = true,
        };
        var posts = new Option<string[]>("--post")
        {
            Description = "Seulement ces postes (option répétable).",
            HelpName = "POSTE",
            AllowMultipleArgumentsPerToken = true,
        };
        var clientId = new Option<string>("--client-id")
        {
            Description = "Nom enregistré avec chaque révision.",
            HelpName = "NOM",
            DefaultValueFactory = _ => DefaultClientId,
        };
        var command = new Command(
            "simulate",
            "Simule une année réaliste de grilles pour les postes actifs du registre et l'envoie au serveur (saisonnalité, retards, grilles manquantes, valeurs atypiques).")
        {
            year,
            seed,
            missing,
            late,
            outliers,
            dryRun,
            output,
            departments,
            posts,
            clientId,
        };
        command.Validators.Add(result =>
        {
            if (result.GetResult(output) is { Implicit: false } && !result.GetValue(dryRun))
            {
                result.AddError("-o/--output ne s'utilise qu'avec --dry-run (les grilles sont sinon envoyées au serveur).");
            }
        });
        command.SetAction((parseResult, cancellationToken) =>
        {
            var request = new SimulationRequest(
                parseResult.GetValue(year),
                parseResult.GetValue(seed),
                parseResult.GetValue(missing),
                parseResult.GetValue(late),
                parseResult.GetValue(outliers),
                parseResult.GetValue(dryRun),
                parseResult.GetValue(output),
                [.. (parseResult.GetValue(departments) ?? []).Select(d => d.Trim().ToUpperInvariant())],
                [.. (parseResult.GetValue(posts) ?? []).Select(p => p.Trim().ToUpperInvariant())],
                parseResult.GetValue(clientId) ?? DefaultClientId);
            return new SimulateCommand(context, ServerOf(parseResult, serverOption)).ExecuteAsync(request, cancellationToken);
        });
        return command;
    }

    /// <summary>Simulates the year, then writes or submits it; returns the exit code.</summary>
    public async Task<int> ExecuteAsync(SimulationRequest request, CancellationToken cancellationToken)
    {
        var now = Context.Settings.Clock.GetUtcNow();
        if (request.Year < 2000 || request.Year > now.Year)
        {
            throw new UsageException($"--year {request.Year} : attendu une année de 2000 à {now.Year}.");
        }

        if (request.Missing + request.Late > 1)
        {
            throw new UsageException("--missing et --late additionnés ne peuvent dépasser 1.");
        }

        if (string.IsNullOrWhiteSpace(request.ClientId))
        {
            throw new UsageException("--client-id ne doit pas être vide.");
        }

        var registry = new RegistryService.RegistryServiceClient(Channel);
        var postsResponse = await QueryAsync(ct => registry.ListPostsAsync(new ListPostsRequest(), cancellationToken: ct), "Registre des postes non obtenu", cancellationToken);
        var departmentsResponse = postsResponse is null
            ? null
            : await QueryAsync(ct => registry.ListDepartmentsAsync(new ListDepartmentsRequest(), cancellationToken: ct), "Départements non obtenus", cancellationToken);
        var schemas = new SchemaService.SchemaServiceClient(Channel);
        var schema = departmentsResponse is null
            ? null
            : await QueryAsync(
                ct => schemas.GetSchemaAsync(new GetSchemaRequest { Period = request.Year.ToString(Labels.French) }, cancellationToken: ct),
                $"Schéma de l'année {request.Year} non obtenu",
                cancellationToken);
        if (postsResponse is null || departmentsResponse is null || schema is null)
        {
            return ExitCodes.Rejected;
        }

        var simulator = new GridSimulator(
            postsResponse.Posts,
            departmentsResponse.Departments,
            new SimulationSchema(schema),
            new SimulationOptions
            {
                Year = request.Year,
                Now = now,
                Seed = request.Seed,
                Missing = request.Missing,
                Late = request.Late,
                Outliers = request.Outliers,
            });
        var include = Filter(request, postsResponse.Posts);
        var result = simulator.Run(include);
        if (result.Grids.Count == 0)
        {
            Console.MarkupLineInterpolated(
                $"[yellow]Aucune grille à simuler pour {request.Year} : aucun poste actif retenu, ou aucune période terminée avant le {now.UtcDateTime:dd/MM/yyyy}.[/]");
            return ExitCodes.Success;
        }

        WritePlan(request, result);
        if (request.DryRun)
        {
            if (request.Output is { } directory)
            {
                try
                {
                    var files = SimulationFiles.Write(directory, result, request.Year);
                    Console.MarkupLineInterpolated(
                        $"[green]{ViolationRenderer.Ok(Console)}[/] {Labels.Count(files, "fichier de grilles écrit", "fichiers de grilles écrits")} dans {Path.Combine(directory, SimulationFiles.GridFolder)}, récapitulatif dans {Path.Combine(directory, SimulationFiles.ManifestName)}.");
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
                {
                    Context.Error.MarkupLineInterpolated($"[red]Écriture impossible dans « {directory} » :[/] {ex.Message}");
                    return ExitCodes.Rejected;
                }
            }

            Console.MarkupLine("[grey]Simulation à blanc : rien n'a été envoyé au serveur.[/]");
            return ExitCodes.Success;
        }

        return await SubmitAsync(result, request.ClientId, cancellationToken);
    }

    private static Func<Post, bool>? Filter(SimulationRequest request, IEnumerable<Post> registry)
    {
        if (request.Departments.Count == 0 && request.Posts.Count == 0)
        {
            return null;
        }

        var known = registry.ToList();
        var unknownPosts = request.Posts.Where(id => !known.Any(p => string.Equals(p.Id, id, StringComparison.OrdinalIgnoreCase))).ToList();
        if (unknownPosts.Count > 0)
        {
            throw new UsageException($"--post : poste inconnu du registre : {string.Join(", ", unknownPosts)}.");
        }

        var unknownDepartments = request.Departments.Where(code => !known.Any(p => string.Equals(p.DepartmentCode, code, StringComparison.OrdinalIgnoreCase))).ToList();
        if (unknownDepartments.Count > 0)
        {
            throw new UsageException($"--department : aucun poste dans le département {string.Join(", ", unknownDepartments)}.");
        }

        var posts = request.Posts.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var departments = request.Departments.ToHashSet(StringComparer.OrdinalIgnoreCase);
        return post => posts.Contains(post.Id) || departments.Contains(post.DepartmentCode);
    }

    private void WritePlan(SimulationRequest request, SimulationResult result)
    {
        var expected = result.Grids.Count;
        string Share(int count) => expected == 0 ? "" : $" ({AnalysisLabels.Percent((double)count / expected)})";
        var late = result.Count(GridFate.Late);
        var missing = result.Count(GridFate.Missing);
        var pending = result.Count(GridFate.Pending);
        Console.MarkupLineInterpolated(
            $"[bold]Simulation de l'année {request.Year} (graine {request.Seed}) : {Labels.Count(result.Posts, "poste", "postes")}, {Labels.Count(expected, "grille attendue", "grilles attendues")}[/]");
        var fates = $"  à l'heure : {Labels.Number(result.Count(GridFate.OnTime))} · en retard : {Labels.Number(late)}{Share(late)} · manquantes : {Labels.Number(missing)}{Share(missing)}" +
                    $"{(pending > 0 ? $" · en attente (reçues plus tard) : {Labels.Number(pending)}" : "")} · valeurs atypiques : {Labels.Number(result.Outliers)}";
        Console.MarkupLine(Markup.Escape(fates));
    }

    private async Task<int> SubmitAsync(SimulationResult result, string clientId, CancellationToken cancellationToken)
    {
        var requests = result.Sent.Select(g => g.ToRequest(clientId)).ToList();
        var client = new GridService.GridServiceClient(Channel);
        var outcomes = new List<(SubmitGridRequest Request, SubmitGridResult? Result)>(requests.Count);
        var stopwatch = Stopwatch.StartNew();
        var settings = Context.Settings;
        var useProgress = requests.Count > settings.ProgressThreshold && (settings.ShowProgress ?? Console.Profile.Capabilities.Interactive);
        var stoppedEarly = false;

        async Task SendAllAsync(ProgressTask? task)
        {
            for (var start = 0; start < requests.Count; start += BatchSize)
            {
                var batch = requests.Skip(start).Take(BatchSize).ToList();
                var doneBefore = outcomes.Count;
                var results = await CallAsync(
                    ct =>
                    {
                        // A retried batch starts over: grids already stored are replayed by their submission id.
                        if (task is not null)
                        {
                            task.Value = doneBefore;
                        }

                        return SendBatchAsync(client, batch, task, ct);
                    },
                    cancellationToken);
                for (var i = 0; i < batch.Count; i++)
                {
                    outcomes.Add((batch[i], i < results.Count ? results[i] : null));
                }

                // A first batch refused as a whole (e.g. a server that refuses reception dates) is not worth repeating.
                if (start == 0 && batch.Count < requests.Count && outcomes.All(o => !IsAccepted(o.Result)))
                {
                    stoppedEarly = true;
                    break;
                }
            }
        }

        try
        {
            if (useProgress)
            {
                await Console.Progress()
                    .AutoClear(true)
                    .Columns(
                        new TaskDescriptionColumn(),
                        new ProgressBarColumn(),
                        new PercentageColumn(),
                        new CountColumn(),
                        new RateColumn(),
                        new RemainingTimeColumn(),
                        new SpinnerColumn())
                    .StartAsync(async progress =>
                    {
                        var task = progress.AddTask("Envoi des grilles simulées", maxValue: requests.Count);
                        await SendAllAsync(task);
                    });
            }
            else
            {
                await SendAllAsync(null);
            }
        }
        catch (ServerUnreachableException ex)
        {
            WriteSummary(outcomes, stopwatch.Elapsed);
            Context.Error.MarkupLineInterpolated($"[red]{RpcErrors.Unreachable(Server, ex.Rpc)}[/]");
            Context.Error.MarkupLineInterpolated(
                $"[red]{Labels.Count(requests.Count - outcomes.Count, "grille non envoyée", "grilles non envoyées")}.[/] Relancez la même commande : les grilles déjà reçues ne seront pas dupliquées.");
            return ExitCodes.Unreachable;
        }

        var rejected = WriteSummary(outcomes, stopwatch.Elapsed);
        if (stoppedEarly)
        {
            Context.Error.MarkupLineInterpolated(
                $"[red]Le premier lot a été entièrement rejeté : envoi interrompu, {Labels.Count(requests.Count - outcomes.Count, "grille non envoyée", "grilles non envoyées")}.[/]");
        }

        return rejected > 0 || stoppedEarly ? ExitCodes.Rejected : ExitCodes.Success;
    }

    /// <summary>Sends a batch on one SubmitGrids stream and reads the answers as they come.</summary>
    private static async Task<IReadOnlyList<SubmitGridResult>> SendBatchAsync(
        GridService.GridServiceClient client,
        IReadOnlyList<SubmitGridRequest> batch,
        ProgressTask? task,
        CancellationToken cancellationToken)
    {
        using var call = client.SubmitGrids(cancellationToken: cancellationToken);
        var results = new List<SubmitGridResult>(batch.Count);

        async Task ReadAsync()
        {
            while (await call.ResponseStream.MoveNext(cancellationToken))
            {
                results.Add(call.ResponseStream.Current);
                task?.Increment(1);
            }
        }

        var reading = ReadAsync();
        try
        {
            foreach (var request in batch)
            {
                await call.RequestStream.WriteAsync(request, cancellationToken);
            }

            await call.RequestStream.CompleteAsync();
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // The call ended while writing: its status (e.g. UNAVAILABLE) comes with the reading side.
            await reading;
            throw;
        }

        await reading;
        return results;
    }

    private int WriteSummary(IReadOnlyList<(SubmitGridRequest Request, SubmitGridResult? Result)> outcomes, TimeSpan elapsed)
    {
        var accepted = outcomes.Where(o => IsAccepted(o.Result)).ToList();
        var rejected = outcomes.Where(o => !IsAccepted(o.Result)).ToList();
        var replayed = accepted.Count(o => o.Result!.Response.Replayed);
        var warnings = accepted.SelectMany(o => o.Result!.Response.Warnings).ToList();

        foreach (var (request, outcome) in rejected.Take(MaxListedRejections))
        {
            var label = GridLabels.Of(request.Grid.PostId, request.Grid.Period);
            var status = Enum.TryParse<StatusCode>(outcome?.Status?.Replace("_", "", StringComparison.Ordinal), ignoreCase: true, out var code) ? RpcErrors.StatusName(code) : outcome?.Status;
            var reason = outcome is null ? "sans réponse du serveur" : $"{status} — {outcome.Message}";
            Console.MarkupLineInterpolated($"[red]{ViolationRenderer.Ko(Console)} {label} : rejetée ({reason})[/]");
            if (outcome is not null)
            {
                ViolationRenderer.Write(Console, outcome.Violations);
            }
        }

        if (rejected.Count > MaxListedRejections)
        {
            Console.MarkupLineInterpolated($"[red]… et {Labels.Count(rejected.Count - MaxListedRejections, "autre rejet", "autres rejets")}.[/]");
        }

        Console.WriteLine();
        var style = rejected.Count > 0 ? "red" : "green";
        var rate = elapsed.TotalSeconds > 0 ? outcomes.Count / elapsed.TotalSeconds : 0;
        var summary = $"Bilan : {Labels.Count(outcomes.Count, "envoyée", "envoyées")}, {Labels.Count(accepted.Count, "acceptée", "acceptées")} (dont {Labels.Number(replayed)} déjà reçue{(replayed > 1 ? "s" : "")}), " +
                      $"{Labels.Count(rejected.Count, "rejetée", "rejetées")}, {Labels.Count(warnings.Count, "avertissement", "avertissements")}.";
        Console.MarkupLine($"[{style}]{Markup.Escape(summary)}[/]");
        if (warnings.Count > 0)
        {
            var byRule = warnings.GroupBy(w => w.RuleCode).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => $"{g.Key} × {Labels.Number(g.Count())}");
            Console.MarkupLineInterpolated($"[yellow]  avertissements : {string.Join(", ", byRule)}[/]");
        }

        Console.MarkupLineInterpolated(
            $"[grey]{AnalysisLabels.Decimal(elapsed.TotalSeconds, 1)} s, {AnalysisLabels.Decimal(rate, 1)} grilles/s.[/]");
        return rejected.Count;
    }

    private static bool IsAccepted(SubmitGridResult? result) =>
        result is { Response: not null } && string.Equals(result.Status, nameof(StatusCode.OK), StringComparison.OrdinalIgnoreCase);

    private async Task<T?> QueryAsync<T>(Func<CancellationToken, AsyncUnaryCall<T>> call, string what, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return await CallAsync(ct => call(ct).ResponseAsync, cancellationToken);
        }
        catch (RpcException ex) when (ex.StatusCode is not (StatusCode.Unavailable or StatusCode.Cancelled))
        {
            Context.Error.MarkupLineInterpolated(
                $"[red]{what} : requête refusée par le serveur ({RpcErrors.StatusName(ex.StatusCode)})[/] — {RpcErrors.Detail(ex)}");
            ViolationRenderer.Write(Context.Error, RpcErrors.Violations(ex));
            return null;
        }
    }

    private static Option<double> Share(string name, string description, double defaultValue)
    {
        var option = new Option<double>(name)
        {
            Description = description,
            HelpName = "PART",
            DefaultValueFactory = _ => defaultValue,
        };
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<double>();
            if (!(value >= 0 && value <= 1))
            {
                result.AddError($"{name} : attendu une part de 0 à 1 (par exemple 0.05 pour 5 %), trouvé {value}.");
            }
        });
        return option;
    }

    /// <summary>"123 / 3 456".</summary>
    private sealed class CountColumn : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text($"{Labels.Number((long)task.Value)} / {Labels.Number((long)task.MaxValue)}");
    }

    /// <summary>"85,2 grilles/s".</summary>
    private sealed class RateColumn : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text(task.Speed is { } speed ? $"{AnalysisLabels.Decimal(speed, 1)} grilles/s" : "— grilles/s", new Style(Color.Grey));
    }
}
