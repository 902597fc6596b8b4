#!/usr/bin/env bash
# Times Dagdog on generated DAGs of trivial tasks: cold run, no-op, editing one task, touching every input,
# and re-running every task.
# Usage: bench/dag-bench.sh [SIZE...]      (default: 200 1000)
# Needs the SDK package: run 'dotnet build sdk' first, or set DAGDOG_FEED to a folder holding another build of
# Dagdog.Sdk.<version>.nupkg (to compare two versions). Results go to stdout as a Markdown table.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
work="$root/artifacts/bench"
feed="${DAGDOG_FEED:-$root/artifacts/packages}"
sizes=("${@:-200 1000}")
runs=5
export MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0 DOTNET_NOLOGO=1

rm -rf "$work" && mkdir -p "$work"
source "$root/bench/lib.sh"
[ -f "$feed/Dagdog.Sdk.$version.nupkg" ] || { echo "Run 'dotnet build sdk' first." >&2; exit 1; }
use_feed "$feed"

echo "| DAG | cold (restore, compile, run all) | no-op | no-op --no-restore | edit one task | touch every input | re-run all tasks |"
echo "|---|---|---|---|---|---|---|"
for n in ${sizes[*]}; do
  for shape in chain wide; do
    dir="$work/$shape-$n"
    generate "$shape" "$n" "$dir"
    cold=$(seconds dotnet build "$dir" -t:Dag)
    noop=() noop_nr=() edit=() touched=() rerun=()
    for ((r = 0; r < runs; r++)); do
      noop+=("$(seconds dotnet build "$dir" -t:Dag)")
      noop_nr+=("$(seconds dotnet build "$dir" -t:Dag --no-restore)")
    done
    # A real edit of the last task (its output changes), then touching every data file without changing it.
    for ((r = 0; r < 3; r++)); do
      last=$((n - 1))
      echo "public class T$last { public void Run() => File.WriteAllText(\"out/T$last.txt\", \"edit $r\"); }" > "$dir/T$last.cs"
      edit+=("$(seconds dotnet build "$dir" -t:Dag --no-restore)")
      touch "$dir"/data/*.csv
      touched+=("$(seconds dotnet build "$dir" -t:Dag --no-restore)")
    done
    for ((r = 0; r < 3; r++)); do
      rm -rf "$dir/obj/dag/stamps"
      rerun+=("$(seconds dotnet build "$dir" -t:Dag --no-restore)")
    done
    printf '| %s %s | %.2f s | %.2f s | %.2f s | %.2f s | %.2f s | %.2f s |\n' "$shape" "$n" "$cold" \
      "$(median "${noop[@]}")" "$(median "${noop_nr[@]}")" "$(median "${edit[@]}")" "$(median "${touched[@]}")" "$(median "${rerun[@]}")"
  done
done
