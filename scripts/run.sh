#!/usr/bin/env bash
# The main job: the Nexus server on its embedded default. Starts Azurite (data under .nexus/azurite) when no storage
# is configured and none is listening, then the server; Ctrl-C stops both. Honours the server's environment
# variables (HTTP_PORT, NEXUS_STORAGE, TIMEOUT_MS, ...; see the README).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
log() { echo "[run] $*" >&2; }

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

azurite_pid=""
stop() {
  if [[ -n "$azurite_pid" ]]; then
    kill "$azurite_pid" 2>/dev/null || true
    sleep 1
    kill -9 "$azurite_pid" 2>/dev/null || true
  fi
}
trap stop EXIT
trap 'exit 130' INT TERM

if [[ -z "${NEXUS_STORAGE:-}" || "${NEXUS_STORAGE}" == "UseDevelopmentStorage=true" ]]; then
  if listening 10000 && listening 10001 && listening 10002; then
    log "using the Azurite already listening on 127.0.0.1:10000-10002"
  else
    mkdir -p .nexus/azurite
    log "starting Azurite (data in .nexus/azurite, log in .nexus/azurite.log)"
    # Its own session: Ctrl-C in the terminal must reach the server first; Azurite is stopped after it (on EXIT).
    setsid node_modules/.bin/azurite --silent --skipApiVersionCheck --loose --disableTelemetry \
      --location .nexus/azurite --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 \
      > .nexus/azurite.log 2>&1 &
    azurite_pid=$!
    for _ in $(seq 1 100); do
      listening 10000 && listening 10001 && listening 10002 && break
      kill -0 "$azurite_pid" 2>/dev/null || { log "Azurite did not start; see .nexus/azurite.log"; exit 1; }
      sleep 0.1
    done
  fi
fi

log "building the server"
dotnet build src/Nexus.Server -c Release --no-restore --verbosity quiet -nologo
log "Nexus server on http://${HOST:-0.0.0.0}:${HTTP_PORT:-3000} (Ctrl-C stops it)"
dotnet src/Nexus.Server/bin/Release/net10.0/Nexus.Server.dll &
server_pid=$!
# Background jobs of a script ignore SIGINT, so Ctrl-C reaches the server as SIGTERM (a graceful stop).
trap 'kill -TERM "$server_pid" 2>/dev/null || true' INT TERM
wait "$server_pid" || true
wait "$server_pid" 2>/dev/null || true
