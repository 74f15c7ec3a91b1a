#!/usr/bin/env bash
# The README's first command: installs what rlaif needs, then runs the offline quickstart — a real
# teacher–student RL run on the CPU with no API key and no download (examples/quickstart):
# SFT warm-up, RL scored by the sandboxed exec teacher, held-out evaluations, the validation report
# and the HTML report.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
[ -x "$HOME/.cargo/bin/rustc" ] && export PATH="$HOME/.cargo/bin:$PATH"

config=examples/quickstart/rlaif.config.ts
run_dir=examples/quickstart/runs/quickstart
started=$(date +%s)
echo "==> Training (examples/quickstart/rlaif.config.ts)"
# The run evaluates the held-out tasks before training, after SFT and after RL, prints the table and
# the validation report (also validation_report.json), and writes report.html.
npx rlaif run "$config" --overwrite
echo "==> Quickstart finished in $(( $(date +%s) - started )) s. Outputs in $run_dir:"
echo "    $run_dir/validation_report.json                  (after SFT vs after RL, task by task; rlaif validate recomputes it for any checkpoint)"
echo "    $run_dir/report.html                               (open in a browser)"
echo "    tensorboard --logdir $run_dir/logs/tensorboard    (TensorBoard, if installed)"
