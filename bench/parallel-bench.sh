#!/usr/bin/env bash
# Times parallel branches and the cost of running each task in a worker process.
#  (a) four independent tasks, each sleeping 3 s or computing for about 3 s: default DagJobs (MSBuild's node count)
#      against -p:DagJobs=1, every task re-run (stamps deleted) each time;
#  (c) a chain of 200 trivial tasks: re-run all minus no-op, per task, and the no-op itself.
# Usage: bench/parallel-bench.sh [FEED...]   Each FEED is a folder holding a Dagdog.Sdk.<version>.nupkg (default: this
# checkout's artifacts/packages, after 'dotnet build sdk'); give two to compare versions in the same run.
# Results go to stdout as a Markdown table.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
feeds=("${@:-$root/artifacts/packages}")
runs=3
export MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0 DOTNET_NOLOGO=1

source "$root/bench/lib.sh"

# project DIR KIND: four independent tasks; KIND is sleep or cpu.
four() {
  local dir=$1 kind=$2 i body
  mkdir -p "$dir"
  { echo "<Project Sdk=\"Dagdog.Sdk/$version\"><ItemGroup>"
    for i in 1 2 3 4; do echo "  <DagTask Include=\"T$i\" />"; done
    echo '</ItemGroup></Project>'; } > "$dir/Bench.csproj"
  for i in 1 2 3 4; do
    if [ "$kind" = sleep ]; then body='Thread.Sleep(3000);'
    # A fixed amount of work, about 3 s on one core of this machine: contention shows as a longer wall time.
    else body='var x = 0.0; for (long n = 1; n < 350_000_000; n++) x += Math.Sqrt(n); Console.WriteLine(x);'
    fi
    echo "public class T$i { public void Run() { $body } }" > "$dir/T$i.cs"
  done
}

chain() {
  local dir=$1 n=$2 i
  mkdir -p "$dir"
  { echo "<Project Sdk=\"Dagdog.Sdk/$version\"><ItemGroup>"
    for ((i = 0; i < n; i++)); do echo "  <DagTask Include=\"T$i\" DependsOn=\"$( ((i > 0)) && echo "T$((i - 1))")\" />"; done
    echo '</ItemGroup></Project>'; } > "$dir/Bench.csproj"
  for ((i = 0; i < n; i++)); do echo "public class T$i { public void Run() { } }" > "$dir/T$i.cs"; done
}

echo "| SDK | 4 x sleep 3 s, default jobs | 4 x sleep 3 s, DagJobs=1 | 4 x compute ~3 s, default jobs | 4 x compute ~3 s, DagJobs=1 | chain 200: no-op | chain 200: re-run all | per task |"
echo "|---|---|---|---|---|---|---|---|"
for feed in "${feeds[@]}"; do
  work=$(mktemp -d)
  use_feed "$feed"
  four "$work/sleep" sleep; four "$work/cpu" cpu; chain "$work/chain" 200
  cells=()
  for kind in sleep cpu; do
    seconds dotnet build "$work/$kind" -t:Dag > /dev/null
    for jobs in default 1; do
      times=()
      for ((r = 0; r < runs; r++)); do
        rm -rf "$work/$kind/obj/dag/stamps"
        if [ "$jobs" = default ]; then times+=("$(seconds dotnet build "$work/$kind" -t:Dag --no-restore)")
        else times+=("$(seconds dotnet build "$work/$kind" -t:Dag --no-restore -p:DagJobs=1)"); fi
      done
      cells+=("$(printf '%.2f s' "$(median "${times[@]}")")")
    done
  done
  seconds dotnet build "$work/chain" -t:Dag > /dev/null
  noop=() rerun=()
  for ((r = 0; r < runs; r++)); do
    noop+=("$(seconds dotnet build "$work/chain" -t:Dag --no-restore)")
    rm -rf "$work/chain/obj/dag/stamps"
    rerun+=("$(seconds dotnet build "$work/chain" -t:Dag --no-restore)")
  done
  n=$(median "${noop[@]}") a=$(median "${rerun[@]}")
  printf '| %s | %s | %s | %s | %s | %.2f s | %.2f s | %.1f ms |\n' "$(basename "$(dirname "$(dirname "$feed")")")" "${cells[@]}" "$n" "$a" \
    "$(awk -v a="$a" -v n="$n" 'BEGIN { print (a - n) * 1000 / 200 }')"
  rm -rf "$work"
done
