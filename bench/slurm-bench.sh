#!/usr/bin/env bash
# Times tasks on the local workers against a Slurm cluster (the two-node test cluster of tests/slurm/cluster.sh, one
# CPU a node, which this script starts and stops): four independent tasks that each sleep 3 s, and a chain of 200
# trivial tasks (re-run all minus the no-op, per task), every task re-run each time, medians of 3.
# Usage: bench/slurm-bench.sh   (after 'dotnet build sdk'). Results go to stdout as a Markdown table.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
feed="${DAGDOG_FEED:-$root/artifacts/packages}"
export MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0 DOTNET_NOLOGO=1
source "$root/bench/lib.sh"
[ -f "$feed/Dagdog.Sdk.$version.nupkg" ] || { echo "Run 'dotnet build sdk' first." >&2; exit 1; }
use_feed "$feed"

cluster="$work/cluster"
trap '"$root/tests/slurm/cluster.sh" stop "$cluster"; rm -rf "$work"' EXIT
export "$("$root/tests/slurm/cluster.sh" start "$cluster" | grep '^SLURM_CONF=')"

mkdir -p "$work/sleep" "$work/chain"
{ echo "<Project Sdk=\"Dagdog.Sdk/$version\"><ItemGroup>"
  for i in 1 2 3 4; do echo "  <DagTask Include=\"S$i\" />"; echo "public class S$i { public void Run() => Thread.Sleep(3000); }" > "$work/sleep/S$i.cs"; done
  echo '</ItemGroup></Project>'; } > "$work/sleep/Bench.csproj"
{ echo "<Project Sdk=\"Dagdog.Sdk/$version\"><ItemGroup>"
  for ((i = 0; i < 200; i++)); do
    echo "  <DagTask Include=\"T$i\" DependsOn=\"$( ((i > 0)) && echo "T$((i - 1))")\" />"
    echo "public class T$i { public void Run() { } }" > "$work/chain/T$i.cs"
  done
  echo '</ItemGroup></Project>'; } > "$work/chain/Bench.csproj"
seconds dotnet build "$work/sleep" -t:Dag > /dev/null
seconds dotnet build "$work/chain" -t:Dag > /dev/null

echo "| executor | 4 x sleep 3 s | chain 200: no-op | chain 200: re-run all | per task |"
echo "|---|---|---|---|---|"
for executor in local slurm; do
  # On the test cluster, two nodes of one CPU: two tasks at once, as two local jobs on this 2-core machine.
  sleep=() noop=() rerun=()
  for ((r = 0; r < 3; r++)); do
    rm -rf "$work/sleep/obj/dag/stamps"
    sleep+=("$(seconds dotnet build "$work/sleep" -t:Dag --no-restore -p:DagExecutor=$executor -p:DagJobs=2)")
    noop+=("$(seconds dotnet build "$work/chain" -t:Dag --no-restore -p:DagExecutor=$executor)")
    rm -rf "$work/chain/obj/dag/stamps"
    rerun+=("$(seconds dotnet build "$work/chain" -t:Dag --no-restore -p:DagExecutor=$executor)")
  done
  n=$(median "${noop[@]}") a=$(median "${rerun[@]}")
  printf '| %s | %.2f s | %.2f s | %.2f s | %.1f ms |\n' "$executor" "$(median "${sleep[@]}")" "$n" "$a" "$(awk -v a="$a" -v n="$n" 'BEGIN { print (a - n) * 1000 / 200 }')"
done
