#!/usr/bin/env python3
"""Says how fast this machine is right now: a fixed loop timed on one processor alone, then on each processor at the
same time. On a virtual machine both can change from hour to hour, because the host shares its cores with other
guests: a suite's time means little without them (bench/README.md, "Two processors that are sometimes one").

    bench/host-speed.py        # prints one line; run it before and after what you measure

Linux only (it pins each loop to one processor)."""
import multiprocessing
import os
import time

LOOP = 60_000_000  # about 0.7 s on one free processor of the 2026 test machine


def _loop(processor, iterations, results):
    os.sched_setaffinity(0, {processor})
    started = time.process_time()
    sum(range(iterations))
    results.put(time.process_time() - started)


def _run(processors, iterations=LOOP):
    results = multiprocessing.Queue()
    loops = [multiprocessing.Process(target=_loop, args=(p, iterations, results)) for p in processors]
    for loop in loops:
        loop.start()
    for loop in loops:
        loop.join()
    return [results.get() for _ in loops]


def measure():
    """(seconds alone, seconds each when every processor runs one, processors' worth of throughput with all busy)."""
    processors = sorted(os.sched_getaffinity(0))
    alone = min(_run([processors[0]])[0] for _ in range(2))
    together = max(_run(processors))
    return alone, together, len(processors) * alone / together


def sample(processor=0):
    """One short look while other work runs: a third of the loop on one processor, scaled to the whole loop."""
    return 3 * _run([processor], LOOP // 3)[0]


def describe():
    alone, together, throughput = measure()
    return (f"host speed: a fixed loop {alone:.2f} s on one processor alone, {together:.2f} s on each with all "
            f"{len(os.sched_getaffinity(0))} busy: {throughput:.2f} processors' worth of work")


if __name__ == "__main__":
    print(describe())
