#!/usr/bin/env bash
# Whole-process timings of committee-paper beside what users would otherwise run, measured in the
# same session and given as ratios (issue 12; the figures go in BENCHMARKS.md).
#
#   benches/peers.sh [OUT_DIR]          # default OUT_DIR: target/peers (results, never committed)
#   RUNS=30 BIG_RUNS=5 benches/peers.sh
#   BIN=path/to/committee-paper benches/peers.sh   # measure another build (no cargo build)
#
# Measures, each with hyperfine (-N, warm-up runs first, then RUNS runs, alternating nothing
# between commands: hyperfine runs each command's runs together) and once with /usr/bin/time -v
# for the peak memory:
#   1. the 2014 reference paper: `build` (PDF + DOCX), `--format pdf`, `--format docx`, `check`;
#   2. typst's own command line (0.15.1) compiling the same document, ejected with
#      `committee-paper eject`: with its fonts given (--ignore-system-fonts) and scanning the
#      machine's fonts too;
#   3. the common script an analyst would otherwise run on the same workbook: openpyxl +
#      python-docx, then LibreOffice headless to PDF (benches/peers/analyst_script.py);
#   4. a 5,000-indicator appendix (benches/make_appendix.py): `build`, and typst's command line
#      on its ejected folder;
#   5. the 100-paper batch (benches/make_batch.py), -j 2.
# Then the sizes of every file made, and a table of ratios to `build`.
#
# Needs: cargo, python3 (venv), hyperfine, LibreOffice (soffice), GNU time. Installs, once, into
# ~/.cache/committee-paper-bench (COMMITTEE_PAPER_BENCH_CACHE): typst-cli 0.15.1 built with
# `cargo install --locked` (≈ 400 crates in release: long on 2 cores, then cached), and a venv
# with openpyxl and python-docx from PyPI. Neither is a dependency of the build.
#
# Run it on a quiet machine: other builds sharing the cores inflate every figure (by 25–35 % in
# the first round), and not by the same amount for each command.
set -euo pipefail
cd "$(dirname "$0")/.."

OUT="${1:-target/peers}"
RUNS="${RUNS:-30}"
BIG_RUNS="${BIG_RUNS:-5}"
CACHE="${COMMITTEE_PAPER_BENCH_CACHE:-$HOME/.cache/committee-paper-bench}"
TARGET="${CARGO_TARGET_DIR:-target}"
mkdir -p "$OUT" "$CACHE"
OUT="$(cd "$OUT" && pwd)"

for tool in hyperfine soffice python3; do
  command -v "$tool" >/dev/null || { echo "error: $tool is needed" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "error: GNU time (/usr/bin/time) is needed" >&2; exit 2; }

if [ -n "${BIN:-}" ]; then
  bin="$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")"   # another build, e.g. an older one
else
  echo "== release build (the configuration cargo bench uses, so the two share one build)"
  cargo bench --no-run --bench paper >/dev/null
  bin="$(cd "$TARGET/release" && pwd)/committee-paper"
fi

typst="$CACHE/typst/bin/typst"
if [ ! -x "$typst" ]; then
  echo "== cargo install typst-cli 0.15.1 into $CACHE/typst (once)"
  CARGO_TARGET_DIR="$CACHE/typst-target" cargo install typst-cli --version 0.15.1 --locked --root "$CACHE/typst"
fi
python="$CACHE/venv/bin/python"
if [ ! -x "$python" ] || ! "$python" -c 'import docx, openpyxl' 2>/dev/null; then
  echo "== venv with openpyxl and python-docx (once)"
  python3 -m venv "$CACHE/venv"
  "$CACHE/venv/bin/pip" install --quiet openpyxl python-docx
fi

work="$OUT/work"
rm -rf "$work"
mkdir -p "$work"
paper=fixtures/kcc-2014-scs-dashboard/paper.yaml
workbook=fixtures/kcc-2014-scs-dashboard/scs-dashboard.xlsx

echo "== inputs: the ejected 2014 paper, a 5,000-indicator appendix, a 100-paper batch"
"$bin" eject "$paper" -o "$work/ejected-2014" >/dev/null
python3 benches/make_appendix.py "$work/appendix-5000" 5000 >/dev/null
"$bin" eject "$work/appendix-5000/paper.yaml" -o "$work/ejected-5000" >/dev/null
python3 benches/make_batch.py "$work/batch-100" 100
# typst's flags as `eject` prints them; the output path given so nothing lands in the sources.
typst_args=(compile --font-path fonts --ignore-system-fonts --features a11y-extras --pdf-standard a-2a,ua-1)
lo_profile="$CACHE/libreoffice-profile"   # a profile of its own, made by the warm-up run

hf() { # NAME RUNS WARMUP COMMAND...: one hyperfine series, exported as JSON
  local name="$1" runs="$2" warmup="$3"
  shift 3
  hyperfine -N --style basic --warmup "$warmup" --runs "$runs" --export-json "$OUT/$name.json" "$@" | grep -E "^Benchmark|Time|Range" || true
}

echo "== 1-3. one paper: us, typst's command line, the analyst's script ($RUNS runs each)"
hf paper "$RUNS" 3 \
  -n "build (PDF + DOCX)" "$bin build $paper -o $work/out-both" \
  -n "build --format pdf" "$bin build $paper -o $work/out-pdf --format pdf" \
  -n "build --format docx" "$bin build $paper -o $work/out-docx --format docx" \
  -n "check" "$bin check $paper" \
  -n "typst compile, fonts given" "$typst ${typst_args[*]} $work/ejected-2014/main.typ $work/typst-2014.pdf" \
  -n "typst compile, system fonts scanned" "$typst compile --font-path $work/ejected-2014/fonts --features a11y-extras --pdf-standard a-2a,ua-1 $work/ejected-2014/main.typ $work/typst-2014-system.pdf"
hf analyst "$(( RUNS < 10 ? RUNS : 10 ))" 2 \
  -n "openpyxl + python-docx + LibreOffice" "$python benches/peers/analyst_script.py $workbook $work/analyst $lo_profile"

echo "== 4. a 5,000-indicator appendix ($BIG_RUNS runs each)"
hf appendix "$BIG_RUNS" 1 \
  -n "build 5,000 (PDF + DOCX)" "$bin build $work/appendix-5000/paper.yaml -o $work/out-5000" \
  -n "typst compile 5,000, fonts given" "$typst ${typst_args[*]} $work/ejected-5000/main.typ $work/typst-5000.pdf"

echo "== 5. the 100-paper batch, -j 2 ($BIG_RUNS runs)"
hf batch "$BIG_RUNS" 1 -n "batch 100 -j 2" "$bin batch $work/batch-100/manifest.yaml -o $work/out-batch -j 2"

echo "== peak memory (/usr/bin/time -v, one run each)"
peak() { # NAME COMMAND...
  local name="$1"
  shift
  /usr/bin/time -v "$@" >/dev/null 2>"$OUT/time-$name.txt"
  printf '%-40s %8s MB  %s s\n' "$name" \
    "$(awk '/Maximum resident set size/ {printf "%.0f", $6 / 1024}' "$OUT/time-$name.txt")" \
    "$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$OUT/time-$name.txt")"
}
peak "build 2014" "$bin" build "$paper" -o "$work/out-both"
peak "typst compile 2014" "$typst" "${typst_args[@]}" "$work/ejected-2014/main.typ" "$work/typst-2014.pdf"
peak "analyst script 2014" "$python" benches/peers/analyst_script.py "$workbook" "$work/analyst" "$lo_profile"
peak "build 5,000" "$bin" build "$work/appendix-5000/paper.yaml" -o "$work/out-5000"
peak "typst compile 5,000" "$typst" "${typst_args[@]}" "$work/ejected-5000/main.typ" "$work/typst-5000.pdf"
peak "batch 100 -j 2" "$bin" batch "$work/batch-100/manifest.yaml" -o "$work/out-batch" -j 2

echo "== sizes (bytes)"
for file in "$work"/out-both/* "$work/typst-2014.pdf" "$work"/analyst/*.docx "$work"/analyst/*.pdf \
  "$work"/out-5000/* "$work/typst-5000.pdf"; do
  printf '%10d  %s\n' "$(stat -c %s "$file")" "${file#"$work"/}"
done | tee "$OUT/sizes.txt"
echo "pages: ours $(pdfinfo "$work"/out-both/*.pdf 2>/dev/null | awk '/^Pages/ {print $2}'), typst's $(pdfinfo "$work/typst-2014.pdf" 2>/dev/null | awk '/^Pages/ {print $2}'), the script's $(pdfinfo "$work"/analyst/*.pdf 2>/dev/null | awk '/^Pages/ {print $2}')"

echo "== ratios (median times; > 1 means the other command takes longer than ours)"
python3 - "$OUT" <<'EOF'
import json, pathlib, sys
out = pathlib.Path(sys.argv[1])
rows = {}
for name in ["paper", "analyst", "appendix", "batch"]:
    for result in json.loads((out / f"{name}.json").read_text())["results"]:
        rows[result["command"]] = result
def ms(r):
    spread = f" ± {r['stddev'] * 1000:.1f}" if r.get("stddev") is not None else ""
    return f"{r['median'] * 1000:8.1f} ms (mean {r['mean'] * 1000:.1f}{spread}, min {r['min'] * 1000:.1f}, {len(r['times'])} runs)"
ours = rows["build (PDF + DOCX)"]["median"]
print(f"{'command':40} {'median':>10}")
for command, r in rows.items():
    print(f"{command:40} {ms(r)}")
print()
for peer in ["typst compile, fonts given", "typst compile, system fonts scanned", "openpyxl + python-docx + LibreOffice"]:
    print(f"{peer:40} takes {rows[peer]['median'] / ours:5.2f}× our build (PDF + DOCX)")
pdf_only = rows["build --format pdf"]["median"]
print(f"{'our build (PDF + DOCX)':40} is {ours / rows['typst compile, fonts given']['median']:5.2f}× typst's compile of the PDF alone")
print(f"{'our PDF-only build':40} is {pdf_only / rows['typst compile, fonts given']['median']:5.2f}× typst's compile")
big = rows["build 5,000 (PDF + DOCX)"]["median"]
print(f"{'build 5,000':40} is {big / rows['typst compile 5,000, fonts given']['median']:5.2f}× typst's compile of the same table")
EOF
echo "results in $OUT"
