#!/usr/bin/env bash
# The board live on a wide DAG (issue 30): (1) a watch cycle with and without the board, -t:DagWatch against
# -t:DagBoard (no page open, then a page open in Chromium), from the cycle line "-v:n" prints, over SAVES saves of one
# task's data (the task and the aggregator run; the cycle decides over all N tasks), with the time the board's document
# after each run takes (made while the watch waits); (2) with the page open, the time from each save to the node
# turning running and to the page's new preview, by the page's clock (board-latency.cs). Usage: board-live-bench.sh [N] [SAVES] (1000 and 5 by default).
# Needs the SDK package: run 'dotnet build sdk' first.
set -euo pipefail -m # -m: the watch started in the background hears Ctrl+C (SIGINT)
root="$(cd "$(dirname "$0")/.." && pwd)"
n=${1:-1000}
saves=${2:-5}
work=$(mktemp -d /tmp/dagdog-board-live-XXXXXX)
watch=""
# A watch left by a failure is stopped too, and waited for, before its folder goes.
trap '[ -z "$watch" ] || { kill -INT -- "-$watch" 2>/dev/null; wait "$watch" 2>/dev/null; }; rm -rf "$work"' EXIT
source "$root/bench/lib.sh"
feed="$root/artifacts/packages"
[ -f "$feed/Dagdog.Sdk.$version.nupkg" ] || { echo "Run 'dotnet build sdk' first." >&2; exit 1; }
use_feed "$feed"
task=T5

# Three watches, each on a fresh copy: -t:DagWatch; -t:DagBoard with no page open; -t:DagBoard with a page in Chromium.
for run in DagWatch DagBoard DagBoard+page; do
  target=${run%+page}
  rm -rf "$work/p" && generate wide "$n" "$work/p"
  (cd "$work/p" && dotnet build -nologo -v:q -tl:off > "$work/cold.log" 2>&1) || { cat "$work/cold.log"; exit 1; }
  log="$work/$run.log"
  # A job of its own (set -m): a process group that Ctrl+C's signal reaches, as from a terminal.
  ( cd "$work/p" && exec dotnet build -t:$target -p:DagBoardOpen=false -v:n -nologo -tl:off > "$log" 2>&1 ) &
  watch=$!
  until grep -q "watching for changes" "$log" 2>/dev/null; do sleep 0.5; done
  if [ "$run" = DagBoard+page ]; then
    address=$(grep -o 'Dag: board at .*' "$log" | head -1 | sed 's/Dag: board at //')
    dotnet run "$root/bench/board-latency.cs" -- "$address" "$work/p" "$task" "$saves"
  else
    for i in $(seq "$saves"); do
      before=$(grep -c "the cycle took" "$log" || true)
      printf 'x,y\n%s,%s\n' "$i" "$RANDOM" > "$work/p/data/$task.csv"
      until [ "$(grep -c "the cycle took" "$log" || true)" -gt "$before" ]; do sleep 0.2; done
      sleep 1
    done
  fi
  kill -INT -- "-$watch"
  wait "$watch" || true
  watch=""
  echo "$run, $n tasks: $(grep -o 'the cycle took [0-9.]* s from the save' "$log" | tail -n "$saves" | sed 's/the cycle took //' | sort -n | awk '{a[NR]=$1} END {print "cycle median", a[int((NR+1)/2)], "s over", NR, "cycles"}')" \
    "$(grep -o "the board's document took [0-9.]* s" "$log" | tail -n "$saves" | sed "s/the board's document took //" | sort -n | awk 'NR {a[NR]=$1} END {if (NR) print "; the document after each run (while the watch waits) median", a[int((NR+1)/2)], "s"}')"
done
