#!/usr/bin/env bash
# The board's costs: (1) the preview of a 1 GB CSV (the time of /preview, the board process's peak memory);
# (2) the first paint of a board file of 10 tasks, 1,000 tasks and a 10,000-instance family in Debian's Chromium
# (headless, the time to its screenshot, less that of an empty page; median of 3);
# (3) a watch cycle on a copy of the demo with and without the board (-t:DagWatch against -t:DagBoard), from the cycle
# line "-v:n" prints, over SAVES saves of the raw data (5 by default). Needs 'dotnet build sdk' first.
set -euo pipefail
cd "$(dirname "$0")/.."
saves=${1:-5}
board=src/Dagdog.Board/bin/Debug/net10.0/Dagdog.Board.dll
[ -f "$board" ] || dotnet build src/Dagdog.Board -v:q -nologo >/dev/null
work=$(mktemp -d /tmp/dagdog-board-bench-XXXXXX)
trap 'rm -rf "$work"' EXIT

echo "== preview of a 1 GB CSV"
mkdir -p "$work/csv/out"
python3 - "$work/csv/out/big.csv" <<'PY'
import sys
row = b"Adelie,Torgersen,39.1,18.7,181,3750,male,2007\n"
with open(sys.argv[1], "wb") as f:
    f.write(b"species,island,bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g,sex,year\n")
    chunk = row * 100_000
    while f.tell() < 1 << 30: f.write(chunk)
PY
ls -l "$work/csv/out/big.csv" | awk '{print "file:", $5, "bytes"}'
token=board-bench-token-0123456789
coproc BOARD { DAGDOG_BOARD_TOKEN=$token exec dotnet "$board" serve --host 127.0.0.1 --ports 0; }
read -r address <&"${BOARD[0]}"
root=${address%%/\?*}
printf '{"document":{"format":1,"project":"bench","projectDirectory":"%s","writtenUtc":"2026-12-05T00:00:00Z","statuses":[],"tasks":[{"index":0,"name":"Big","parents":[],"status":"upToDate","inputs":[],"outputs":[{"path":"out/big.csv","bytes":1}],"log":"obj/dag/logs/Big.log","command":"","history":[],"metrics":[]}]}}\n' "$work/csv" >&"${BOARD[1]}"
curl -s -c "$work/cookies" -o /dev/null "$address"
for i in 1 2 3 4 5; do
  curl -s -b "$work/cookies" -o "$work/preview.json" -w "preview %{time_total} s\n" "$root/preview?path=out/big.csv"
done
python3 -c "import json,sys; p=json.load(open(sys.argv[1])); print('rows shown', len(p['rows']), 'row count', p['rowCount'], 'estimated', p['estimated'])" "$work/preview.json"
grep VmHWM "/proc/$BOARD_PID/status" | awk '{print "board peak memory:", $2/1024, "MB"}'
exec {BOARD[1]}>&-
wait "$BOARD_PID" || true

echo "== first paint of a board file (Chromium, headless)"
paint() { # the median of 3 times to a screenshot of $1, in seconds
  for i in 1 2 3; do
    start=$(date +%s.%N)
    chromium --headless=new --no-sandbox --disable-gpu --window-size=1400,900 --virtual-time-budget=1000 --screenshot="$work/shot.png" "file://$1" >/dev/null 2>&1
    echo "$(date +%s.%N) - $start" | bc
  done | sort -n | sed -n 2p
}
echo '<!doctype html><title>empty</title>' > "$work/empty.html"
empty=$(paint "$work/empty.html")
for shape in 10 1000 family10000; do
  python3 - "$shape" "$work/$shape.json" <<'PY'
import json, sys
shape, out = sys.argv[1], sys.argv[2]
statuses = [{"name": n, "label": n, "fill": "#eee", "stroke": "#999"} for n in ("upToDate", "willRun", "failed", "neverRan")]
def task(i, name, parents, **extra):
    return dict(index=i, name=name, parents=parents, status="upToDate", inputs=[], outputs=[], log=f"obj/dag/logs/{name}.log", command="", history=[], metrics=[], **extra)
if shape.startswith("family"):
    n = int(shape[len("family"):])
    tasks = [task(0, "Load", []), task(1, "Fit", ["Load"], instances=[task(1, f"Fit[k{i:05}]", ["Load"], key=f"k{i:05}") for i in range(n)]), task(2, "Report", ["Fit"])]
else:
    n = int(shape)
    tasks = [task(i, f"T{i:04}", [] if i == 0 else [f"T{(i - 1) // 3:04}"]) for i in range(n)]
json.dump({"document": dict(format=1, project="bench", projectDirectory="/nonexistent", writtenUtc="2026-12-05T00:00:00Z", statuses=statuses, tasks=tasks)}, open(out, "w"))
PY
  dotnet "$board" snapshot --out "$work/$shape.html" < "$work/$shape.json"
  echo "$shape: $(echo "$(paint "$work/$shape.html") - $empty" | bc) s beyond an empty page ($empty s)"
done

echo "== a watch cycle of the demo, with and without the board"
for target in DagWatch DagBoard; do
  rm -rf "$work/demo" && cp -r demo "$work/demo" && rm -rf "$work/demo/bin" "$work/demo/obj" "$work/demo/out"
  sed -i "s#\.\./artifacts#$PWD/artifacts#g" "$work/demo/nuget.config"
  ( cd "$work/demo" && exec setsid dotnet build -t:$target -p:DagBoardOpen=false -v:n -nologo -tl:off > "$work/$target.log" 2>&1 ) &
  until grep -q "watching for changes" "$work/$target.log" 2>/dev/null; do sleep 0.5; done
  for i in $(seq "$saves"); do
    before=$(grep -c "the cycle took" "$work/$target.log" || true)
    printf '\n' >> "$work/demo/data/penguins_raw.csv"
    until [ "$(grep -c "the cycle took" "$work/$target.log" || true)" -gt "$before" ]; do sleep 0.2; done
  done
  kill -INT -- "-$(pgrep -f "dotnet build -t:$target -p:DagBoardOpen=false" | head -1)"
  wait || true
  echo "$target: $(grep -o 'the cycle took [0-9.]* s from the save: .*' "$work/$target.log" | tail -n "$saves" | sed 's/the cycle took //' | sort -n | awk '{a[NR]=$1} END {print "median", a[int((NR+1)/2)], "s over", NR, "cycles"}')"
done
