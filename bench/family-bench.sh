#!/usr/bin/env bash
# Times task families: a family of N file instances of a trivial task (each reads its file and writes one output), and
# an aggregator that depends on it. For each N: cold (restore, compile, run all), no-op, one file edited, one file
# added, one removed, and every instance re-run; and, after the cold build, the state's size (obj/dag: MB of file
# contents, MB of disk blocks, and files) and the build's peak memory (the largest resident set of the build's processes).
# Usage: bench/family-bench.sh [SIZE...]   (default: 10 1000 10000). Needs 'dotnet build sdk' first (or DAGDOG_FEED).
# NOOPS (5) no-op builds and REPS (3) of each edit are timed, medians shown; RERUNS (3) re-runs of all, 0 to skip.
# Results go to stdout as a Markdown table; each step's build must run exactly what it should, or the script stops.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
work="$root/artifacts/family-bench"
feed="${DAGDOG_FEED:-$root/artifacts/packages}"
sizes=("${@:-10 1000 10000}")
noops=${NOOPS:-5} reps=${REPS:-3} reruns=${RERUNS:-3}
export MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0 DOTNET_NOLOGO=1

rm -rf "$work" && mkdir -p "$work"
source "$root/bench/lib.sh"
[ -f "$feed/Dagdog.Sdk.$version.nupkg" ] || { echo "Run 'dotnet build sdk' first." >&2; exit 1; }
use_feed "$feed"

# expect WHAT: the last build's summary line must say WHAT ("2 ran"), so that a time is never of the wrong work.
expect() { grep -q "Dag: $1" "$work/last.log" || { echo "expected 'Dag: $1' in:" >&2; grep "Dag: " "$work/last.log" >&2; exit 1; }; }

echo "| instances | cold | state (MB, files) | peak memory | no-op | one file edited | one file added | one file removed | all re-run |"
echo "|---|---|---|---|---|---|---|---|---|"
for n in ${sizes[*]}; do
  dir="$work/family-$n"
  mkdir -p "$dir/data" "$dir/out"
  cat > "$dir/Bench.csproj" <<XML
<Project Sdk="Dagdog.Sdk/$version">
  <ItemGroup>
    <DagTask Include="Fit" ForEach="data/{sample}.csv" Outputs="out/fit/{sample}.txt" />
    <DagTask Include="Report" DependsOn="Fit" Inputs="out/fit/{sample}.txt" Outputs="out/report.txt" />
  </ItemGroup>
</Project>
XML
  echo 'public class Fit { public void Run(string sample) { Directory.CreateDirectory("out/fit"); File.WriteAllText($"out/fit/{sample}.txt", File.ReadAllText($"data/{sample}.csv")); } }' > "$dir/Fit.cs"
  echo 'public class Report { public void Run(IReadOnlyList<string> sample) => File.WriteAllText("out/report.txt", $"{sample.Count} samples"); }' > "$dir/Report.cs"
  for ((i = 0; i < n; i++)); do echo "x,$i" > "$dir/data/s$i.csv"; done

  cold=$(seconds /usr/bin/time -f 'peak %M' -o "$work/peak" dotnet build "$dir" -tl:off); expect "$((n + 1)) ran"
  peak=$(awk '/^peak/ { printf "%.0f MB", $2 / 1024 }' "$work/peak")
  state=$(printf '%.1f MB (%.0f MB on disk), %d files' "$(du -s --apparent-size --block-size=1 "$dir/obj/dag" | awk '{ print $1 / 1048576 }')" \
    "$(du -s --block-size=1 "$dir/obj/dag" | awk '{ print $1 / 1048576 }')" "$(find "$dir/obj/dag" -type f | wc -l)")
  noop=() edit=() added=() removed=() rerun=()
  for ((r = 0; r < noops; r++)); do noop+=("$(seconds dotnet build "$dir" -tl:off --no-restore)"); expect "$((n + 1)) up to date"; done
  for ((r = 0; r < reps; r++)); do
    echo "x,edit $r" > "$dir/data/s0.csv"
    edit+=("$(seconds dotnet build "$dir" -tl:off --no-restore)"); expect "2 ran, $((n - 1)) up to date"
    echo "x,new" > "$dir/data/new.csv"
    added+=("$(seconds dotnet build "$dir" -tl:off --no-restore)"); expect "2 ran, $n up to date"
    rm "$dir/data/new.csv"
    removed+=("$(seconds dotnet build "$dir" -tl:off --no-restore)"); expect "1 ran, $n up to date"
  done
  for ((r = 0; r < reruns; r++)); do
    rm -rf "$dir/obj/dag/stamps"
    rerun+=("$(seconds dotnet build "$dir" -tl:off --no-restore)"); expect "$((n + 1)) ran"
  done
  printf '| %s | %.2f s | %s | %s | %.2f s | %.2f s | %.2f s | %.2f s | %s |\n' "$n" "$cold" "$state" "$peak" \
    "$(median "${noop[@]}")" "$(median "${edit[@]}")" "$(median "${added[@]}")" "$(median "${removed[@]}")" \
    "$( ((reruns > 0)) && printf '%.2f s' "$(median "${rerun[@]}")" || echo -)"
done
