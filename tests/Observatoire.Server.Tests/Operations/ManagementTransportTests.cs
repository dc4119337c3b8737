using Observatoire.Server.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting.Internal;
using Observatoire.Server.Security;

namespace Observatoire.Server.Tests.Operations;

/// <summary>Outside Development, the management endpoint may stay in clear text on loopback only.</summary>
public class ManagementTransportTests
{
    private static void Check(string managementUrl) =>
        TransportSecurity.Check(
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Kestrel:Certificates:Default:Path"] = "/etc/observatoire/certificat.pfx",
                ["Kestrel:Endpoints:Grpc:Url"] = "https://0.0.0.0:5001",
                ["Kestrel:Endpoints:Management:Url"] = managementUrl,
            }).Build(),
            new HostingEnvironment { EnvironmentName = "Production" },
            new SecurityOptions());

    [Theory]
    [InlineData("http://127.0.0.1:5090")]
    [InlineData("http://localhost:5090")]
    [InlineData("http://[::1]:5090")]
    [InlineData("https://0.0.0.0:5090")]
    public void A_loopback_or_tls_management_endpoint_is_accepted(string url) => Check(url);

    [Theory]
    [InlineData("http://0.0.0.0:5090")]
    [InlineData("http://*:5090")]
    [InlineData("http://10.1.2.3:5090")]
    public void A_clear_text_management_endpoint_open_to_other_machines_is_refused(string url)
    {
        var error = Assert.Throws<StartupRefusedException>(() => Check(url));
        Assert.Contains(url, error.Message, StringComparison.Ordinal);
    }
}
