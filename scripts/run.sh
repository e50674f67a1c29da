#!/usr/bin/env bash
# The main job. Until the Nexus server exists, this prepares the machine and tries a handler in the sandbox.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
echo "The Nexus server is not built yet (see the durable-panels issue). Meanwhile, a handler in the sandbox:" >&2
dotnet run --project src/Nexus.Cli -- handler run docs/examples/counter.js --state '{"count":41}'
