#!/usr/bin/env bash
# Times Dagdog on generated DAGs of trivial tasks: cold run, no-op, and re-running every task.
# Usage: bench/dag-bench.sh [SIZE...]      (default: 200 1000)
# Needs the SDK package: run 'dotnet build sdk' first. Results go to stdout as a Markdown table.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
work="$root/artifacts/bench"
sizes=("${@:-200 1000}")
runs=5
export MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0 DOTNET_NOLOGO=1

[ -f "$root/artifacts/packages/Dagdog.Sdk.0.1.0.nupkg" ] || { echo "Run 'dotnet build sdk' first." >&2; exit 1; }
rm -rf "$work" && mkdir -p "$work"
cat > "$work/nuget.config" <<XML
<configuration>
  <packageSources><add key="dagdog" value="$root/artifacts/packages" /></packageSources>
  <config><add key="globalPackagesFolder" value="$work/packages" /></config>
</configuration>
XML

# generate SHAPE N DIR: chain is T0 -> T1 -> ... ; wide is T0 -> {T1 .. Tn-2} -> Tn-1.
generate() {
  local shape=$1 n=$2 dir=$3 i deps
  mkdir -p "$dir"
  {
    echo '<Project Sdk="Dagdog.Sdk/0.1.0"><ItemGroup>'
    for ((i = 0; i < n; i++)); do
      if ((i == 0)); then deps=""
      elif [ "$shape" = chain ] || ((i < n - 1)); then deps=$([ "$shape" = chain ] && echo "T$((i - 1))" || echo "T0")
      else deps=$(seq -s ';' -f 'T%g' 1 $((n - 2)))
      fi
      echo "  <DagTask Include=\"T$i\" DependsOn=\"$deps\" />"
    done
    echo '</ItemGroup></Project>'
  } > "$dir/Bench.csproj"
  for ((i = 0; i < n; i++)); do
    echo "public class T$i { public void Run() => File.WriteAllText(\"out/T$i.txt\", \"$i\"); }" > "$dir/T$i.cs"
  done
  mkdir -p "$dir/out"
}

# seconds COMMAND...: wall time of one run, failing loudly if the build fails.
seconds() {
  local start end
  start=$(date +%s.%N)
  "$@" > "$work/last.log" 2>&1 || { cat "$work/last.log" >&2; exit 1; }
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { print b - a }'
}

median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

echo "| DAG | cold (restore, compile, run all) | no-op | no-op --no-restore | re-run all tasks |"
echo "|---|---|---|---|---|"
for n in ${sizes[*]}; do
  for shape in chain wide; do
    dir="$work/$shape-$n"
    generate "$shape" "$n" "$dir"
    cold=$(seconds dotnet build "$dir" -t:Dag)
    noop=() noop_nr=() rerun=()
    for ((r = 0; r < runs; r++)); do
      noop+=("$(seconds dotnet build "$dir" -t:Dag)")
      noop_nr+=("$(seconds dotnet build "$dir" -t:Dag --no-restore)")
    done
    for ((r = 0; r < 3; r++)); do
      rm -rf "$dir/obj/dag/stamps"
      rerun+=("$(seconds dotnet build "$dir" -t:Dag --no-restore)")
    done
    printf '| %s %s | %.2f s | %.2f s | %.2f s | %.2f s |\n' "$shape" "$n" "$cold" \
      "$(median "${noop[@]}")" "$(median "${noop_nr[@]}")" "$(median "${rerun[@]}")"
  done
done
