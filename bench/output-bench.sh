#!/usr/bin/env bash
# The build's memory while a task prints a lot: the peak resident memory of the 'dotnet build' process (VmHWM, read
# every 50 ms) for one task that prints nothing, 200 MB (2 million lines of 100 bytes), 400 MB, or one 50 MB line.
# Usage: bench/output-bench.sh [FEED...]   Each FEED is a folder holding a Dagdog.Sdk.<version>.nupkg (default: this
# checkout's artifacts/packages, after 'dotnet build sdk'); give two to compare versions in the same run.
# Results go to stdout as a Markdown table.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
feeds=("${@:-$root/artifacts/packages}")
export MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0 DOTNET_NOLOGO=1

source "$root/bench/lib.sh"

# peak COMMAND...: the command's own peak resident memory in MB, and its wall time, failing loudly if it fails.
peak() {
  local start pid kb high=0
  start=$(date +%s.%N)
  "$@" > "$work/last.log" 2>&1 &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    kb=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
    if [ -n "$kb" ] && [ "$kb" -gt "$high" ]; then high=$kb; fi
    sleep 0.05
  done
  wait "$pid" || { cat "$work/last.log" >&2; exit 1; }
  printf '%d MB in %.1f s' $((high / 1024)) "$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')"
}

project() {
  local dir=$1
  mkdir -p "$dir"
  cat > "$dir/Bench.csproj" <<XML
<Project Sdk="Dagdog.Sdk/$version"><ItemGroup>
  <DagTask Include="Silent" /><DagTask Include="Print200" /><DagTask Include="Print400" /><DagTask Include="OneLine" />
</ItemGroup></Project>
XML
  cat > "$dir/Tasks.cs" <<'CS'
public class Silent { public void Run() { } }
public class Print200 { public void Run() { var line = new string('z', 99); for (var i = 0; i < 2_000_000; i++) Console.WriteLine(line); } }
public class Print400 { public void Run() { var line = new string('z', 99); for (var i = 0; i < 4_000_000; i++) Console.WriteLine(line); } }
public class OneLine { public void Run() => Console.WriteLine(new string('z', 50_000_000)); }
CS
}

echo "| SDK | prints nothing | 200 MB (2,000,000 lines) | 400 MB (4,000,000 lines) | one 50 MB line |"
echo "|---|---|---|---|---|"
for feed in "${feeds[@]}"; do
  work=$(mktemp -d)
  use_feed "$feed"
  project "$work/p"
  seconds dotnet build "$work/p" -p:DagRun=false > /dev/null
  cells=()
  for task in Silent Print200 Print400 OneLine; do
    cells+=("$(peak dotnet build "$work/p" -t:Dag --no-restore -p:Dag="$task" -tl:off)")
  done
  printf '| %s | %s | %s | %s | %s |\n' "$(basename "$(dirname "$(dirname "$feed")")")" "${cells[@]}"
  rm -rf "$work"
done
