# Helpers the benchmark scripts share. Source it after setting $work (where build logs go).

# seconds COMMAND...: wall time of one run, failing loudly if the build fails.
seconds() {
  local start end
  start=$(date +%s.%N)
  "$@" > "$work/last.log" 2>&1 || { cat "$work/last.log" >&2; exit 1; }
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { print b - a }'
}

median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# use_feed FEED: a nuget.config in $work that takes Dagdog.Sdk from FEED, with a packages folder of its own.
use_feed() {
  cat > "$work/nuget.config" <<XML
<configuration>
  <packageSources><add key="dagdog" value="$1" /></packageSources>
  <config><add key="globalPackagesFolder" value="$work/packages" /></config>
</configuration>
XML
}
