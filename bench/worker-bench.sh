#!/usr/bin/env bash
# Times the worker alone: N runs of a trivial family task (read a file, write one) sent straight down one worker's
# request pipe, with no build around it, so what is left is what each Run() in a fresh collectible load context costs
# (create it, load the assembly, call Run, hash the output, prove the context unloaded).
# Usage: bench/worker-bench.sh [N]   (default 3000). Builds the worker and a small project of its own.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
work="$root/artifacts/worker-bench"
n=${1:-3000}
export DOTNET_NOLOGO=1

rm -rf "$work" && mkdir -p "$work/project/data"
dotnet build "$root/src/Dagdog.Worker" -v q -o "$work/worker" > "$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
cat > "$work/project/Bench.csproj" <<'XML'
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework><ImplicitUsings>enable</ImplicitUsings></PropertyGroup>
</Project>
XML
echo 'public class Fit { public void Run(string sample) { Directory.CreateDirectory("out/fit"); File.WriteAllText($"out/fit/{sample}.txt", File.ReadAllText($"data/{sample}.csv")); } }' > "$work/project/Fit.cs"
dotnet build "$work/project" -v q -o "$work/project/bin" > "$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
for ((i = 0; i < 1000; i++)); do echo "x,$i" > "$work/project/data/s$i.csv"; done

# The protocol's lines (WorkerProtocol): the end marker's key, then one request a line.
{
  echo "key bench"
  for ((i = 0; i < n; i++)); do
    printf 'run {"assembly":"%s","type":"Fit","projectDirectory":"%s","arguments":{"sample":"s%d"},"outputs":["out/fit/s%d.txt"]}\n' \
      "$work/project/bin/Bench.dll" "$work/project" $((i % 1000)) $((i % 1000))
  done
} > "$work/requests.txt"

/usr/bin/time -f '%e %U %S' -o "$work/time" dotnet "$work/worker/Dagdog.Worker.dll" < "$work/requests.txt" > "$work/messages.txt" 2> /dev/null
clean=$(grep -c '^checked clean' "$work/messages.txt" || true)
[ "$clean" -eq "$n" ] || { echo "expected $n clean runs, got $clean" >&2; exit 1; }
read -r wall user sys < "$work/time"
awk -v n="$n" -v w="$wall" -v u="$user" -v s="$sys" \
  'BEGIN { printf "%d runs: %.2f s (%.2f ms a run: %.2f ms user, %.2f ms system)\n", n, w, 1000 * w / n, 1000 * u / n, 1000 * s / n }'
