#!/usr/bin/env bash
# The board's costs: (1) the preview of a 1 GB CSV (the time of /preview, the board process's peak memory);
# (2) a watch cycle on a copy of the demo with and without the board (-t:DagWatch against -t:DagBoard), from the cycle
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
token=benchtoken
coproc BOARD { exec dotnet "$board" serve --host 127.0.0.1 --ports 0 --token $token; }
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
