#!/usr/bin/env bash
# Runs the real Nacos and Eureka Node.js clients (versions pinned in package-lock.json) against a Registry
# server started here on a free loopback port with a scratch data file. Needs Node.js 20+ and npm.
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd ../.. && pwd)
data=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

npm ci --silent --no-audit --no-fund
dotnet build "$root/src/Registry.Server" -c Release -v quiet -nologo >/dev/null
dotnet "$root/src/Registry.Server/bin/Release/net10.0/Registry.Server.dll" --urls "http://127.0.0.1:$port" \
  --Registry:Storage:Path="$data/registry.db" --Logging:LogLevel:Default=Warning >"$data/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT

for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break
  sleep 0.2
done

REGISTRY="127.0.0.1:$port" node interop.js
