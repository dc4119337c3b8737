# The Observatoire server in a container. NOT TRIED: no container engine runs on the development machines; every
# step below is an ordinary dotnet/apt command also run by .ci/run or the README outside a container.
#   docker build -t observatoire .
#   docker run -d -p 8080:8080 -v observatoire-data:/var/lib/observatoire -e Security__BootstrapAdminKey=obs_... observatoire
# Clear text inside: put a TLS-terminating proxy in front (Security__BehindTlsProxy=true below), as the server requires.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Observatoire.Server -c Release -r linux-x64 -o /app

FROM mcr.microsoft.com/dotnet/runtime-deps:10.0
# Charts and reports are drawn with DejaVu Sans.
RUN apt-get update && apt-get install -y --no-install-recommends fonts-dejavu-core && rm -rf /var/lib/apt/lists/* \
    && mkdir -p /var/lib/observatoire && chown "$APP_UID" /var/lib/observatoire
COPY --from=build /app/ /app/
WORKDIR /app
ENV ASPNETCORE_ENVIRONMENT=Production \
    ASPNETCORE_URLS=http://+:8080 \
    Security__BehindTlsProxy=true \
    ConnectionStrings__Observatoire="Data Source=/var/lib/observatoire/observatoire.db" \
    Backups__Folder=/var/lib/observatoire/sauvegardes \
    DOTNET_BUNDLE_EXTRACT_BASE_DIR=/tmp/.net
VOLUME /var/lib/observatoire
# The image's non-root user (uid 1654).
USER $APP_UID
EXPOSE 8080
# Readiness on the management endpoint (appsettings.json: http://127.0.0.1:5090, inside the container), asked by the
# server binary itself over HTTP (exit 0 only for 200): database migrated, cube loaded, file present and writable.
# The same checks answer on the gRPC health service: "health http://127.0.0.1:8080" asks that one instead.
# To let Prometheus scrape /metrics from outside, publish the endpoint: Kestrel__Endpoints__Management__Url=http://0.0.0.0:5090
# and -p 127.0.0.1:5090:5090 (never to the world).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["/app/Observatoire.Server", "health", "http://127.0.0.1:5090/health/ready"]
ENTRYPOINT ["/app/Observatoire.Server"]
