#!/usr/bin/env bash
# Installs everything Nexus needs on a fresh Debian-like machine; safe to run again (it skips what is already there).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
log() { echo "[setup] $*" >&2; }

apt_packages=(clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32 xz-utils)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
# Azurite comes from npm; Debian's Node.js serves when the machine has none of its own.
command -v npm >/dev/null || missing+=(nodejs npm)
if ((${#missing[@]})); then
  sudo=""; [[ $(id -u) -eq 0 ]] || sudo="sudo"
  log "installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

command -v dotnet >/dev/null || { log "the .NET 10 SDK is required (dotnet not found on PATH)"; exit 1; }

bash src/Nexus.Sandbox/Engine/build-engine.sh

if [[ -f package.json ]]; then
  if [[ ! -d node_modules || package-lock.json -nt node_modules ]]; then
    log "installing npm packages"
    npm ci --no-audit --no-fund --loglevel=error
    touch node_modules
  fi
fi

log "restoring .NET packages"
dotnet restore Nexus.Functions.sln --verbosity quiet
log "ready"
