using System.Globalization;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Observatoire.Core.Validation;
using Observatoire.Data;
using Observatoire.Protos.V1;
using CoreRegistry = Observatoire.Core.Registry;

namespace Observatoire.Server.Grpc;

/// <summary>Reads the reference data: regions, departments and the registry of posts.</summary>
internal sealed class RegistryGrpcService(ObservatoireDbContext db) : RegistryService.RegistryServiceBase
{
    public override async Task<ListRegionsResponse> ListRegions(ListRegionsRequest request, ServerCallContext context)
    {
        var regions = await db.Regions.AsNoTracking().OrderBy(r => r.Code).ToListAsync(context.CancellationToken);
        return new ListRegionsResponse
        {
            Regions = { regions.Select(r => new Region { Code = r.Code, Name = r.Name, Population = r.Population }) },
        };
    }

    public override async Task<ListDepartmentsResponse> ListDepartments(ListDepartmentsRequest request, ServerCallContext context)
    {
        var query = db.Departments.AsNoTracking();
        if (request.RegionCode.Length > 0)
        {
            query = query.Where(d => d.RegionCode == request.RegionCode);
        }

        var departments = await query.OrderBy(d => d.Code).ToListAsync(context.CancellationToken);
        return new ListDepartmentsResponse
        {
            Departments =
            {
                departments.Select(d => new Department
                {
                    Code = d.Code,
                    Name = d.Name,
                    RegionCode = d.RegionCode,
                    Population = d.Population,
                    Latitude = d.Latitude,
                    Longitude = d.Longitude,
                }),
            },
        };
    }

    public override async Task<ListPostsResponse> ListPosts(ListPostsRequest request, ServerCallContext context)
    {
        var query = db.Posts.AsNoTracking().Include(p => p.Department).AsQueryable();
        if (request.DepartmentCode.Length > 0)
        {
            query = query.Where(p => p.DepartmentCode == request.DepartmentCode);
        }

        if (request.RegionCode.Length > 0)
        {
            query = query.Where(p => p.Department.RegionCode == request.RegionCode);
        }

        if (request.Zone != Zone.Unspecified)
        {
            var zone = (CoreRegistry.Zone)(int)request.Zone;
            query = query.Where(p => p.Zone == zone);
        }

        if (request.Frequency != ReportingFrequency.Unspecified)
        {
            var frequency = (CoreRegistry.ReportingFrequency)(int)request.Frequency;
            query = query.Where(p => p.Frequency == frequency);
        }

        if (request.ActiveOn.Length > 0)
        {
            var day = DateOnly.TryParseExact(request.ActiveOn, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
                ? d
                : throw RpcErrors.InvalidField("active_on", "DATE_INVALIDE", $"La date « {ClientText.Quote(request.ActiveOn)} » est invalide : attendu AAAA-MM-JJ.");
            query = query.Where(p => p.ActiveFrom <= day && (p.ActiveTo == null || p.ActiveTo >= day));
        }

        var posts = await query.OrderBy(p => p.Id).ToListAsync(context.CancellationToken);
        return new ListPostsResponse { Posts = { posts.Select(ProtoMapping.ToProto) } };
    }

    public override async Task<Post> GetPost(GetPostRequest request, ServerCallContext context)
    {
        var post = await db.Posts.AsNoTracking().Include(p => p.Department)
            .FirstOrDefaultAsync(p => p.Id == request.Id, context.CancellationToken)
            ?? throw RpcErrors.NotFound($"Le poste « {ClientText.Quote(request.Id)} » n'existe pas dans le registre.");
        return ProtoMapping.ToProto(post);
    }
}
