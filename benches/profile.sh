#!/usr/bin/env bash
# Where a build's work goes, in instructions: valgrind's callgrind on the release binary (issue 12).
# Instruction counts do not depend on what else runs on the machine, unlike timings, so they
# steer optimisation on a shared machine; BENCHMARKS.md keeps the breakdown before and after.
#
#   benches/profile.sh [OUT_DIR]      # default target/profile; callgrind files stay there
#   BIN=path/to/committee-paper benches/profile.sh   # profile another build (e.g. an older one)
#
# Cases: the 2014 reference paper (build, --format pdf, --format docx, check) and a
# 500-indicator appendix (benches/make_appendix.py). For each, the total and the inclusive
# instructions of the stages: loading (workbook + model), the PDF (typst's compile, on this
# thread and on rayon's workers, its export, packing the objects), the DOCX, the fonts.
# Then, when typst's command line is installed (benches/peers.sh installs it), typst's own
# `--timings` on the ejected 2014 paper (a trace for ui.perfetto.dev).
#
# Needs valgrind (callgrind_annotate); a run of the 2014 paper takes ≈ 10 s under callgrind.
set -euo pipefail
cd "$(dirname "$0")/.."

OUT="${1:-target/profile}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
TARGET="${CARGO_TARGET_DIR:-target}"
if [ -z "${BIN:-}" ]; then
  cargo bench --no-run --bench paper >/dev/null
  BIN="$(cd "$TARGET/release" && pwd)/committee-paper"
fi
command -v valgrind >/dev/null || { echo "error: valgrind is needed" >&2; exit 2; }
work="$OUT/work"
rm -rf "$work"
mkdir -p "$work"
python3 benches/make_appendix.py "$work/appendix-500" 500 >/dev/null
paper=fixtures/kcc-2014-scs-dashboard/paper.yaml

# Stages by the functions that start them; `'2` marks recursion, left out.
stages='committee_paper::load |committee_paper::render::pdf::render_pdf |typst::compile |typst_layout::pages::run::layout_page_run |typst_pdf::pdf |committee_paper::render::object_streams::pack |committee_paper::render::docx::render_docx |typst_library::text::font::Font::new |committee_paper::render::docx::picture::sparkline_png |typst_layout::grid::layout_table '

profile() { # NAME ARGS...
  local name="$1"
  shift
  valgrind --tool=callgrind --callgrind-out-file="$OUT/$name.callgrind" "$BIN" "$@" >/dev/null 2>"$OUT/$name.log"
  echo "== $name: $(awk '/Collected/ {print $4}' "$OUT/$name.log") instructions"
  callgrind_annotate --inclusive=yes "$OUT/$name.callgrind" 2>/dev/null \
    | grep -E "($stages)\[" | sed -E 's/ \[[^]]*\]$//; s/\?\?\?://' | head -20
}

profile build-2014 build "$paper" -o "$work/both"
profile pdf-2014 build "$paper" -o "$work/pdf" --format pdf
profile docx-2014 build "$paper" -o "$work/docx" --format docx
profile check-2014 check "$paper"
profile build-500 build "$work/appendix-500/paper.yaml" -o "$work/500"

typst="${COMMITTEE_PAPER_BENCH_CACHE:-$HOME/.cache/committee-paper-bench}/typst/bin/typst"
if [ -x "$typst" ]; then
  "$BIN" eject "$paper" -o "$work/ejected-2014" >/dev/null
  "$typst" compile --font-path "$work/ejected-2014/fonts" --ignore-system-fonts --features a11y-extras \
    --pdf-standard a-2a,ua-1 --timings "$OUT/typst-timings-2014.json" "$work/ejected-2014/main.typ" "$work/typst-2014.pdf"
  echo "== typst --timings on the ejected 2014 paper: $OUT/typst-timings-2014.json (milliseconds by stage)"
  python3 - "$OUT/typst-timings-2014.json" <<'EOF'
import json, sys, collections
events = json.load(open(sys.argv[1]))
events = events["traceEvents"] if isinstance(events, dict) else events
open_at, total = {}, collections.Counter()
for e in events:
    key = (e.get("tid"), e.get("name"))
    if e.get("ph") == "B":
        open_at.setdefault(key, []).append(e["ts"])
    elif e.get("ph") == "E" and open_at.get(key):
        total[e["name"]] += e["ts"] - open_at[key].pop()
    elif e.get("ph") == "X":
        total[e["name"]] += e.get("dur", 0)
for name, us in total.most_common(15):
    print(f"{us / 1000:9.1f} ms  {name}")
EOF
else
  echo "(typst's command line not installed: benches/peers.sh installs it; skipped --timings)"
fi
