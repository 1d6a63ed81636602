#!/usr/bin/env python3
"""How long `committee-paper watch` takes from a save to the finished build (issue 13: < 0.5 s).

    python3 benches/watch_latency.py [BIN] [RUNS]

Copies the 2014 reference paper and its workbook to a temporary folder, starts `watch` on it,
waits for the first build, then RUNS times appends a comment line to the paper file (a save) and
waits for the "built in … ms (paper.yaml changed)" line, timing from just before the write to the
line on watch's stderr. That includes the 100 ms debounce. Prints each run and the median.
BIN defaults to target/release/committee-paper (CARGO_TARGET_DIR respected).
"""
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
target = os.environ.get("CARGO_TARGET_DIR", os.path.join(root, "target"))
binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(target, "release", "committee-paper")
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 10

with tempfile.TemporaryDirectory() as folder:
    fixture = os.path.join(root, "fixtures", "kcc-2014-scs-dashboard")
    for name in ("paper.yaml", "scs-dashboard.xlsx"):
        shutil.copy(os.path.join(fixture, name), folder)
    paper = os.path.join(folder, "paper.yaml")
    watch = subprocess.Popen([binary, "watch", paper, "-o", os.path.join(folder, "out")], stderr=subprocess.PIPE, text=True)
    lines = queue.Queue()
    threading.Thread(target=lambda: [lines.put((time.monotonic(), l.rstrip())) for l in watch.stderr], daemon=True).start()

    def built():
        while True:
            at, line = lines.get(timeout=30)
            if line.startswith("built") or line.startswith("FAILED"):
                return at, line

    built()
    times = []
    for run in range(runs):
        time.sleep(0.5)
        saved = time.monotonic()
        with open(paper, "a") as f:
            f.write(f"# edit {run}\n")
        at, line = built()
        times.append((at - saved) * 1000)
        print(f"{times[-1]:6.0f} ms after the save: {line.split(':')[0]}")
    watch.send_signal(signal.SIGINT)
    watch.wait(10)
    times.sort()
    print(f"median {times[len(times) // 2]:.0f} ms, slowest {times[-1]:.0f} ms over {runs} saves")
