# Helpers the benchmark scripts share. Source it after setting $work (where build logs go).

# The version of the SDK packages this checkout makes (Directory.Build.props is where it is set).
version=$(sed -n 's:.*<DagdogVersion>\(.*\)</DagdogVersion>.*:\1:p' "$(dirname "${BASH_SOURCE[0]}")/../Directory.Build.props")

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

# generate SHAPE N DIR: chain is T0 -> T1 -> ... ; wide is T0 -> {T1 .. Tn-2} -> Tn-1.
# Each task reads its own data file and writes its own output.
generate() {
  local shape=$1 n=$2 dir=$3 i deps
  mkdir -p "$dir/data" "$dir/out"
  {
    echo "<Project Sdk=\"Dagdog.Sdk/$version\"><ItemGroup>"
    for ((i = 0; i < n; i++)); do
      if ((i == 0)); then deps=""
      elif [ "$shape" = chain ] || ((i < n - 1)); then deps=$([ "$shape" = chain ] && echo "T$((i - 1))" || echo "T0")
      else deps=$(seq -s ';' -f 'T%g' 1 $((n - 2)))
      fi
      echo "  <DagTask Include=\"T$i\" DependsOn=\"$deps\" Inputs=\"data/T$i.csv\" Outputs=\"out/T$i.txt\" />"
    done
    echo '</ItemGroup></Project>'
  } > "$dir/Bench.csproj"
  for ((i = 0; i < n; i++)); do
    echo "public class T$i { public void Run() => File.WriteAllText(\"out/T$i.txt\", File.ReadAllText(\"data/T$i.csv\")); }" > "$dir/T$i.cs"
    echo "x,y" > "$dir/data/T$i.csv"
  done
}
