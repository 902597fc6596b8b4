#!/usr/bin/env python3
"""Runs a command and says where the machine's CPU went while it ran: the wall time, the busy cores (from /proc/stat,
so every process on the machine counts), and CPU-seconds by kind of process (sampled from /proc every 0.3 s: a process
that lives less than that may be missed, and one seen counts up to its last sample: a short-lived process's last
tenths of a second are lost, about half of what the Build tier's workers spend, bench/README.md).

    bench/suite-cpu.py dotnet test tests/Dagdog.EndToEnd.Tests --no-build

Linux only. Used for issue 29's question of what the test suite spends its two cores on (bench/README.md)."""
import collections
import importlib.util
import os
import subprocess
import sys
import threading
import time

TICK = os.sysconf("SC_CLK_TCK")

# A process's kind, by what its command line contains; the first match wins.
KINDS = [
    ("Dagdog.Worker.dll", "Dagdog worker"),
    ("Dagdog.Board.dll", "Dagdog board"),
    ("VBCSCompiler", "compiler server"),
    ("testhost", "test host"),
    ("vstest.console", "test runner"),
    ("MSBuild.dll", "MSBuild node"),
    ("chromium", "Chromium"),
    ("slurm", "Slurm"),
    ("munged", "Slurm"),
    ("azurite", "Azurite"),
]


def kind(command):
    words = command.split(" ")
    # srun's command line names the worker it starts on a node: it is Slurm's, not the worker.
    if os.path.basename(words[0]) == "srun":
        return "Slurm"
    for part, name in KINDS:
        if part in command:
            return name
    # 'dotnet build ...', 'dotnet msbuild ...', 'dotnet watch ...': the dotnet CLI and the MSBuild it hosts.
    if words[0].endswith("dotnet") and len(words) > 1 and not words[1].startswith("/"):
        return f"dotnet {words[1]}"
    return os.path.basename(words[0]) or "(kernel)"


def busy_ticks():
    with open("/proc/stat") as stat:
        user, nice, system, idle, iowait, irq, softirq, steal = map(int, stat.readline().split()[1:9])
    return user + nice + system + irq + softirq + steal, user + nice + system + idle + iowait + irq + softirq + steal


def sample(seen, first, stop):
    while not stop.is_set():
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                with open(f"/proc/{pid}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
                used = (int(fields[11]) + int(fields[12])) / TICK
                key = (pid, fields[19])  # a pid and its start time: one process
                if key not in seen:
                    with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                        command = cmdline.read().replace(b"\0", b" ").decode(errors="replace").strip()
                    seen[key] = [kind(command), used if first else 0.0, used]
                seen[key][2] = used
            except (OSError, IndexError, ValueError):
                pass  # gone meanwhile
        first = False
        time.sleep(0.3)


def _host_speed():
    # host-speed.py's name is not a module name; load it from beside this file.
    spec = importlib.util.spec_from_file_location("host_speed", os.path.join(os.path.dirname(__file__), "host-speed.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def look_at_host(host_speed, samples, stop):
    # Every 30 s, the fixed loop on one processor: how fast the host let the suite run, moment by moment.
    while not stop.wait(30):
        samples.append(host_speed.sample())


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    host_speed = _host_speed()
    print(host_speed.describe(), "(before)", flush=True)
    seen, stop = {}, threading.Event()
    sampler = threading.Thread(target=sample, args=(seen, True, stop))
    busy_before, total_before = busy_ticks()
    started = time.monotonic()
    sampler.start()
    host_samples = []
    host_looker = threading.Thread(target=look_at_host, args=(host_speed, host_samples, stop))
    host_looker.start()
    code = subprocess.call(sys.argv[1:])
    wall = time.monotonic() - started
    busy_after, total_after = busy_ticks()
    stop.set()
    sampler.join()
    host_looker.join()
    cores = os.cpu_count() * (busy_after - busy_before) / max(1, total_after - total_before)
    by_kind = collections.defaultdict(lambda: [0, 0.0])
    for name, at_first, last in seen.values():
        by_kind[name][0] += 1
        by_kind[name][1] += last - at_first
    print(f"\nwall {wall:.1f} s, busy cores {cores:.2f}, so about {wall * cores:.0f} CPU-seconds on the machine")
    for name, (count, seconds) in sorted(by_kind.items(), key=lambda item: -item[1][1]):
        if seconds >= 0.5:
            print(f"{seconds:8.1f} CPU-s {count:6d} processes  {name}")
    if host_samples:
        ordered = sorted(host_samples)
        print(f"host speed while it ran: the fixed loop took {ordered[0]:.2f} to {ordered[-1]:.2f} s on one processor, "
              f"median {ordered[len(ordered) // 2]:.2f} s ({len(ordered)} looks, one every 30 s)")
    print(host_speed.describe(), "(after)")
    sys.exit(code)


if __name__ == "__main__":
    main()
