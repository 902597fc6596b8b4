#!/usr/bin/env python3
"""Times the edit-and-run loop on the demo: from a file's save to the task's new output, for -t:DagWatch, a plain
`dotnet build` after each save, and `dotnet watch build`, with a user's defaults (node reuse, MSBuild server, compiler
server) and with this machine's settings (none of them). Three edits, each saved the way editors save (a new file
renamed over the old one):

  code: Fit.cs, so that Fit's output changes   -> until out/fit/Adelie.json is rewritten whole, and until "Dag: Fit[Adelie] finished"
  data: the raw CSV that Load reads            -> until out/raw.parquet is rewritten whole, and until "Dag: Load finished"
  none: a comment in a helper no task calls    -> until the line saying nothing ran ("nothing to run", "8 up to date")

Usage: bench/watch-bench.py [EDITS] [COMPARED]   (default 10 edits for DagWatch, 5 for each other tool).
Needs `dotnet build sdk` first. Prints Markdown tables; the DagWatch cycles' own split (from -v:n) goes with them.
"""
import json, os, re, shutil, signal, statistics, subprocess, sys, threading, time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
work = os.path.join(root, "artifacts", "watch-bench")
edits = int(sys.argv[1]) if len(sys.argv) > 1 else 10
compared = int(sys.argv[2]) if len(sys.argv) > 2 else 5
MACHINE = {"MSBUILDDISABLENODEREUSE": "1", "DOTNET_CLI_USE_MSBUILD_SERVER": "0", "UseSharedCompilation": "false"}


def environment(settings):
    env = {k: v for k, v in os.environ.items() if k not in MACHINE}
    if settings == "machine":
        env.update(MACHINE)
    env.update({"DOTNET_NOLOGO": "1", "DOTNET_CLI_TELEMETRY_OPTOUT": "1", "DOTNET_WATCH_SUPPRESS_EMOJIS": "1"})
    return env


def fresh_demo(name):
    """A copy of the demo that builds like a user's project, with a helper no task calls."""
    target = os.path.join(work, name)
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(os.path.join(root, "demo"), target, ignore=shutil.ignore_patterns("bin", "obj", "out"))
    config = open(os.path.join(target, "nuget.config")).read().replace("../artifacts", os.path.join(root, "artifacts"))
    open(os.path.join(target, "nuget.config"), "w").write(config)
    open(os.path.join(target, "Unused.cs"), "w").write("namespace Penguins;\n\n// edit 0\ninternal static class Unused { public static int Answer() => 42; }\n")
    return target


def save(path, change):
    """Saves the file as editors do: writes a new file beside it and renames it over the old one."""
    text = open(path).read()
    new = change(text)
    assert new != text, f"the edit of {path} changes nothing"
    with open(path + ".swp", "w") as f:
        f.write(new)
    os.rename(path + ".swp", path)


def toggle_fit(text):
    return text.replace("WriteIndented = true", "WriteIndented = false") if "WriteIndented = true" in text else text.replace("WriteIndented = false", "WriteIndented = true")


def toggle_data(text):
    # The last penguin's body mass, 3775 g or 3776 g: Load's rows change, and everything downstream of it.
    return text.replace(",3775,FEMALE,9.39305", ",3776,FEMALE,9.39305") if ",3775,FEMALE,9.39305" in text else text.replace(",3776,FEMALE,9.39305", ",3775,FEMALE,9.39305")


def toggle_comment(text):
    n = int(re.search(r"// edit (\d+)", text).group(1))
    return text.replace(f"// edit {n}", f"// edit {n + 1}")


def json_whole(path):
    try:
        json.load(open(path))
        return True
    except (OSError, ValueError):
        return False


def parquet_whole(path):
    # A Parquet file starts and ends with its magic; the end is written last.
    try:
        with open(path, "rb") as f:
            head = f.read(4)
            f.seek(-4, os.SEEK_END)
            return head == b"PAR1" and f.read(4) == b"PAR1"
    except OSError:
        return False


class NewOutput:
    """When the task's output file, rewritten after the save, is whole on disk (polled every 2 ms)."""

    def __init__(self, path, whole):
        self.path, self.whole, self.at = path, whole, None
        self.before = os.stat(path).st_mtime_ns if os.path.exists(path) else None
        self.thread = threading.Thread(target=self._poll, daemon=True)
        self.thread.start()

    def _poll(self):
        end = time.monotonic() + 60
        while time.monotonic() < end:
            try:
                if os.stat(self.path).st_mtime_ns != self.before and self.whole(self.path):
                    self.at = time.monotonic()
                    return
            except OSError:
                pass
            time.sleep(0.002)

    def since(self, saved):
        self.thread.join(60)
        return None if self.at is None else self.at - saved


EDITS = [("code", "Fit.cs", toggle_fit, r"Dag: Fit\[Adelie\] finished", ("out/fit/Adelie.json", json_whole)),
         ("data", "data/penguins_raw.csv", toggle_data, "Dag: Load finished", ("out/raw.parquet", parquet_whole)),
         ("none", "Unused.cs", toggle_comment, r"Dag: (nothing to run|\d+ up to date in)", None)]


class Output:
    """A process's output lines as they come, with when each came."""

    def __init__(self, process):
        self.lines, self.lock = [], threading.Lock()
        threading.Thread(target=self._read, args=(process,), daemon=True).start()

    def _read(self, process):
        for line in process.stdout:
            with self.lock:
                self.lines.append((time.monotonic(), line.rstrip("\n")))

    def count(self, text):
        with self.lock:
            return sum(text in line for _, line in self.lines)

    def wait(self, pattern, after, timeout=180):
        """The time of the first line matching the pattern that came after `after` lines."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            with self.lock:
                for at, line in self.lines[after:]:
                    if re.search(pattern, line):
                        return at
            time.sleep(0.002)
        raise TimeoutError(f"no '{pattern}' after line {after}:\n" + "\n".join(l for _, l in self.lines[-40:]))

    def __len__(self):
        with self.lock:
            return len(self.lines)


def start(args, cwd, env):
    # SIGINT restored, in a group of its own, so that Ctrl+C can be sent as from a terminal.
    return subprocess.Popen(args, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            preexec_fn=lambda: (os.setpgrp(), signal.signal(signal.SIGINT, signal.SIG_DFL)))


def stop(process):
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGINT)
    try:
        process.wait(60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


def watched(tool, settings, count):
    """Times edits under a long-running watcher: -t:DagWatch or dotnet watch build."""
    demo = fresh_demo(f"{tool}-{settings}")
    env = environment(settings)
    subprocess.run(["dotnet", "build", "-tl:off"], cwd=demo, env=env, check=True, stdout=subprocess.DEVNULL)
    args = ["dotnet", "build", "-t:DagWatch", "-tl:off", "-v:n"] if tool == "DagWatch" else ["dotnet", "watch", "--non-interactive", "build", "-tl:off"]
    ready = "Dag: watching for changes" if tool == "DagWatch" else "Waiting for a file to change"
    process = start(args, demo, env)
    try:
        return edited(tool, process, demo, ready, count)
    finally:
        stop(process)


def edited(tool, process, demo, ready, count):
    output = Output(process)
    output.wait(ready, 0)
    time.sleep(2)
    results, splits, missed = {}, {}, {}
    for kind, path, change, done, written in EDITS:
        times = []
        for _ in range(count):
            before = len(output)
            ends = output.count(ready)
            new_output = NewOutput(os.path.join(demo, written[0]), written[1]) if written else None
            saved = time.monotonic()
            save(os.path.join(demo, path), change)
            try:
                times.append(output.wait(done, before, timeout=60) - saved)
                if new_output and new_output.since(saved) is not None:
                    results.setdefault(kind + " on disk", []).append(new_output.since(saved))
            except TimeoutError:
                # dotnet watch restarts a build when a second change of one save arrives during it: the line never comes.
                missed[kind] = missed.get(kind, 0) + 1
            # The next save waits for this cycle's end, and for the files to settle.
            while output.count(ready) <= ends:
                time.sleep(0.01)
            time.sleep(1.5)
            if tool == "DagWatch":
                with output.lock:
                    split = [l for _, l in output.lines[before:] if "the cycle took" in l]
                splits.setdefault(kind, []).extend(split[-1:])
        results[kind] = times
    return results, splits, missed


def built(settings, count):
    """Times edits each followed by a plain `dotnet build`."""
    demo = fresh_demo(f"build-{settings}")
    env = environment(settings)
    subprocess.run(["dotnet", "build", "-tl:off"], cwd=demo, env=env, check=True, stdout=subprocess.DEVNULL)
    results = {}
    for kind, path, change, done, written in EDITS:
        times = []
        for _ in range(count):
            new_output = NewOutput(os.path.join(demo, written[0]), written[1]) if written else None
            saved = time.monotonic()
            save(os.path.join(demo, path), change)
            process = start(["dotnet", "build", "-tl:off"], demo, env)
            output = Output(process)
            times.append(output.wait(done, 0) - saved)
            if new_output and new_output.since(saved) is not None:
                results.setdefault(kind + " on disk", []).append(new_output.since(saved))
            process.wait()
            time.sleep(1)
        results[kind] = times
    return results


def cell(values, missed):
    text = f"{statistics.median(values):.2f} s (min {min(values):.2f}, max {max(values):.2f})" if values else "-"
    return text + (f"; {missed} edit(s) never printed the line" if missed else "")


def main():
    os.makedirs(work, exist_ok=True)
    subprocess.run(["dotnet", "build-server", "shutdown"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for settings in ["user", "machine"]:
        rows = {"DagWatch": watched("DagWatch", settings, edits)}
        print(settings, "DagWatch", rows["DagWatch"], file=sys.stderr, flush=True)
        rows["dotnet build"] = (built(settings, compared), {}, {})
        print(settings, "dotnet build", rows["dotnet build"], file=sys.stderr, flush=True)
        rows["dotnet watch build"] = watched("dotnet watch", settings, compared)
        print(settings, "dotnet watch build", rows["dotnet watch build"], file=sys.stderr, flush=True)
        label = "a user's defaults (node reuse, MSBuild server, compiler server)" if settings == "user" else "this machine's settings (none of them)"
        print(f"\n### {label}\n")
        print("| tool | Fit.cs edited -> Fit[Adelie]'s output whole on disk | -> its 'finished' line | data edited -> Load's output whole on disk | -> its 'finished' line | comment in an unused helper -> nothing to run |")
        print("|---|---|---|---|---|---|")
        for tool, (results, _, missed) in rows.items():
            columns = ["code on disk", "code", "data on disk", "data", "none"]
            print(f"| {tool} | " + " | ".join(cell(results.get(k, []), missed.get(k, 0)) for k in columns) + " |")
        print("\nDagWatch's split (median cycle, from -v:n):\n")
        for kind, lines in rows["DagWatch"][1].items():
            print(f"- {kind}: " + (sorted(lines, key=lambda l: float(re.search(r"took ([\d.]+)", l).group(1)))[len(lines) // 2].split("Dag: ")[-1] if lines else "-"))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
