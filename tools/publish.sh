#!/usr/bin/env bash
# Publishes the observatoire CLI and the server as self-contained single files (no .NET needed on the target):
#   tools/publish.sh [RID...]       default: linux-x64 win-x64
# Output: artifacts/publish/cli-<rid>/observatoire[.exe] and artifacts/publish/server-<rid>/Observatoire.Server
# The server is published for Linux only. A runtime whose packs the package registry does not serve is reported
# and skipped (exit code 0 when at least linux-x64 was published).
set -euo pipefail
cd "$(dirname "$0")/.."
rids=("$@")
[ ${#rids[@]} -eq 0 ] && rids=(linux-x64 win-x64)
out=artifacts/publish
mkdir -p "$out"
status=0
for rid in "${rids[@]}"; do
  echo "== observatoire ($rid)"
  if dotnet publish tools/Observatoire.Cli -c Release -r "$rid" -o "$out/cli-$rid" -nologo -v quiet > "$out/cli-$rid.log" 2>&1; then
    ls -l "$out/cli-$rid"
  else
    echo "échec de la publication de l'outil pour $rid (journal : $out/cli-$rid.log) :" >&2
    grep -E 'error' "$out/cli-$rid.log" | sort -u | head -5 >&2 || true
    [ "$rid" = linux-x64 ] && status=1
  fi
  case "$rid" in
    linux-*)
      echo "== Observatoire.Server ($rid)"
      if dotnet publish src/Observatoire.Server -c Release -r "$rid" -o "$out/server-$rid" -nologo -v quiet > "$out/server-$rid.log" 2>&1; then
        ls -l "$out/server-$rid"
      else
        echo "échec de la publication du serveur pour $rid (journal : $out/server-$rid.log)" >&2
        grep -E 'error' "$out/server-$rid.log" | sort -u | head -5 >&2 || true
        status=1
      fi
      ;;
  esac
done
exit $status
