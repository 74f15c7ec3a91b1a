#!/usr/bin/env bash
# The TRL peer check (issue #21): TRL's GRPOTrainer from a finished quickstart run's SFT checkpoint, for
# the wall time that run's RL phase took, then one evaluator (`rlaif validate`, the run's held-out
# tasks and sampling) on rlaif's final checkpoint and TRL's, both against the same SFT checkpoint.
# Run from the repository root after `npx tsc -b`, with a Python that has torch, transformers and trl:
#
#   PYTHON=<venv>/bin/python bash examples/quickstart/experiments/trl-peer/run.sh [RUN_DIR] [OUT_DIR] [-- trl_quickstart.py flags]
#
# RUN_DIR defaults to examples/quickstart/runs/quickstart, OUT_DIR to examples/quickstart/runs/trl-peer.
# VARIANTS="carried fresh" (default) trains TRL twice: AdamW starting from the SFT warm-up's moments
# (as rlaif's RL does) and from a fresh AdamW (TRL's own default). Extra flags after `--` go to
# trl_quickstart.py (e.g. `-- --batches 3` for a smoke run).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PYTHON="${PYTHON:-python3}"
RUN_DIR="examples/quickstart/runs/quickstart"
OUT="examples/quickstart/runs/trl-peer"
if [[ $# -gt 0 && "$1" != "--" ]]; then RUN_DIR="$1"; shift; fi
if [[ $# -gt 0 && "$1" != "--" ]]; then OUT="$1"; shift; fi
[[ $# -gt 0 && "$1" == "--" ]] && shift
RUN_DIR="$(cd "$RUN_DIR" && pwd)"
mkdir -p "$OUT" && OUT="$(cd "$OUT" && pwd)"
CONFIG="examples/quickstart/rlaif.config.ts"

SFT="$(ls -d "$RUN_DIR"/checkpoints/checkpoint-sft-gs* | head -1)"
FINAL="$(ls -d "$RUN_DIR"/checkpoints/checkpoint-final-gs* | head -1)"
[[ -d "$SFT" && -d "$FINAL" ]] || { echo "run.sh: $RUN_DIR needs checkpoints/checkpoint-sft-gs* and checkpoint-final-gs* (a finished quickstart run)" >&2; exit 2; }

# The RL phase's wall time: from the last "Starting RLAIF training" in the run's log (a resumed run's log
# holds its first start too) to its last batch row.
BUDGET="$("$PYTHON" - "$RUN_DIR" <<'PY'
import json, sys
from datetime import datetime
run = sys.argv[1]
stamp = lambda s: datetime.fromisoformat(s.replace("Z", "+00:00"))
start = [stamp(row["timestamp"]) for row in map(json.loads, open(f"{run}/logs/rlaif.log")) if row["message"].startswith("Starting RLAIF training")][-1]
end = stamp([json.loads(line) for line in open(f"{run}/logs/json_summaries/batches.jsonl") if line.strip()][-1]["timestamp"])
print(round((end - start).total_seconds(), 1))
PY
)"
echo "rlaif's RL phase in $RUN_DIR took $BUDGET s; TRL gets the same budget. load average: $(cut -d' ' -f1-3 /proc/loadavg)"
# TRL samples at the temperature the run's rollouts used (its evaluations are the run's own, via rlaif validate).
TEMPERATURE="$("$PYTHON" -c 'import json, sys; print(json.load(open(sys.argv[1] + "/run.json"))["config"]["rlaif"]["temperature"])' "$RUN_DIR")"

validate() { # name checkpoint; a run folder of its own each, so no dataset row is recorded twice
  rm -rf "$OUT/validate-run-$1"
  node packages/core/dist/cli/bin.js validate "$CONFIG" --checkpoint "$2" --baseline-checkpoint "$SFT" \
    --output-dir "$OUT/validate-run-$1" --output "$OUT/validate-$1.json" --print-chars 0 > "$OUT/validate-$1.txt"
  echo "validated $1: $OUT/validate-$1.json. load average: $(cut -d' ' -f1-3 /proc/loadavg)"
}

reports=()
validate rlaif "$FINAL"
reports+=("rlaif=$OUT/validate-rlaif.json")
for variant in ${VARIANTS:-carried fresh}; do
  flags=(); [[ "$variant" == carried ]] && flags=(--adam-state)
  (cd "$HERE" && "$PYTHON" trl_quickstart.py --sft "$SFT" --out "$OUT/trl-$variant" --seconds "$BUDGET" --temperature "$TEMPERATURE" "${flags[@]}" "$@") 2> "$OUT/trl-$variant.log" | tail -1 | tee "$OUT/trl-$variant.json"
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  validate "trl-$variant" "$OUT/trl-$variant"
  reports+=("trl-$variant=$OUT/validate-trl-$variant.json")
done
node "$HERE/compare.mjs" "${reports[@]}" | tee "$OUT/comparison.md"
