#!/usr/bin/env bash
# Times a second clone of an analysis: running every task, against restoring every task from a shared result cache
# that a first clone filled, in a folder and in Azure Blob Storage (Azurite, from .tools/: npm install --prefix .tools azurite).
# For the demo and for a wide DAG of 1,000 trivial tasks; each clone is a fresh copy without obj/, bin/ or out/.
# Run 'dotnet build sdk' first. Usage: bench/cache-bench.sh [N]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-1000}
feed="$root/artifacts/packages"
work="$root/artifacts/cache-bench"
azurite="$root/.tools/node_modules/.bin/azurite-blob"
[ -x "$azurite" ] || { echo "Install Azurite: npm install --prefix .tools azurite" >&2; exit 1; }
rm -rf "$work" && mkdir -p "$work"
source "$root/bench/lib.sh"
[ -f "$feed/Dagdog.Sdk.$version.nupkg" ] || { echo "Run 'dotnet build sdk' first." >&2; exit 1; }
use_feed "$feed"

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$azurite" --blobHost 127.0.0.1 --blobPort "$port" --location "$work/azurite" --silent --skipApiVersionCheck --loose > /dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
export BENCH_STORAGE="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$port/devstoreaccount1;"

# clone NAME SOURCE: a fresh copy of the analysis in SOURCE, without build output or results.
clone() {
  rm -rf "$work/$1" && cp -r "$2" "$work/$1"
  rm -rf "$work/$1/bin" "$work/$1/obj" "$work/$1/out" "$work/$1/nuget.config"
  mkdir -p "$work/$1/out"
  echo "$work/$1"
}

# row NAME SOURCE: fill both caches from one clone, then time three more clones.
row() {
  local name=$1 source=$2 all folder azure
  mkdir -p "$work/cache-$name"
  seconds dotnet build "$(clone "$name-first" "$source")" "-p:DagCache=$work/cache-$name" > /dev/null
  seconds dotnet build "$(clone "$name-first-azure" "$source")" "-p:DagCache=azure:BENCH_STORAGE/$name" > /dev/null
  all=$(seconds dotnet build "$(clone "$name-all" "$source")")
  folder=$(seconds dotnet build "$(clone "$name-folder" "$source")" "-p:DagCache=$work/cache-$name" -p:DagCachePush=false)
  grep -q "Dag: cache: .* 0 missed" "$work/last.log" || { cat "$work/last.log" >&2; exit 1; }
  azure=$(seconds dotnet build "$(clone "$name-azure" "$source")" "-p:DagCache=azure:BENCH_STORAGE/$name" -p:DagCachePush=false)
  grep -q "Dag: cache: .* 0 missed" "$work/last.log" || { cat "$work/last.log" >&2; exit 1; }
  printf '| %s | %.2f s | %.2f s | %.2f s |\n' "$name" "$all" "$folder" "$azure"
}

echo "| second clone of | run every task | restore every task from a folder | restore every task from Azurite |"
echo "|---|---|---|---|"
row demo "$root/demo"
generate wide "$n" "$work/wide-source"
for ((i = 0; i < n; i++)); do printf 'x,y\n%d,%d\n' "$i" "$((i * i))" > "$work/wide-source/data/T$i.csv"; done
row "wide-$n" "$work/wide-source"
