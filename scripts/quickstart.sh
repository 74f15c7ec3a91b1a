#!/usr/bin/env bash
# The README's first command: installs what rlaif needs, then runs the offline quickstart — a real
# teacher–student RL run on the CPU with no API key and no download (examples/quickstart):
# SFT warm-up, RL scored by the sandboxed exec teacher, the validation report and the HTML report.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
[ -x "$HOME/.cargo/bin/rustc" ] && export PATH="$HOME/.cargo/bin:$PATH"

config=examples/quickstart/rlaif.config.ts
run_dir=examples/quickstart/runs/quickstart
started=$(date +%s)
echo "==> Training (examples/quickstart/rlaif.config.ts)"
npx rlaif run "$config" --overwrite
echo "==> Validating: baseline vs fine-tuned on the held-out tasks"
npx rlaif validate "$config" --eval-file examples/quickstart/tasks/heldout.jsonl
echo "==> Writing the HTML report"
npx rlaif report "$run_dir"
echo "==> Quickstart finished in $(( $(date +%s) - started )) s. Outputs in $run_dir:"
echo "    tensorboard --logdir $run_dir/logs/tensorboard    (TensorBoard, if installed)"
echo "    $run_dir/report.html                               (open in a browser)"
