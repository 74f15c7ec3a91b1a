"""GRPO peer benchmark: TRL's GRPOTrainer and `rlaif run` on the same random Qwen2, the same work per
step, back to back; prints seconds per step (median of steps 2..N) for each and the ratio rlaif / TRL.
Run from the repository root after `npm run build`, with a Python that has torch, transformers, peft and trl:

    <venv>/bin/python packages/backend-mlx/bench/grpo-peer/peer.py [--steps 6] [--betas 0.04,0] [--rounds 1] [--shapes 13m,0.5b]

13m trains every weight of a 12.8 M model; 0.5b trains LoRA adapters (r 16 on every linear projection)
on a random model of Qwen2.5-0.5B's shape (494 M parameters; its steps take ~10x longer).
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[3]


def run(command: list, **kwargs) -> str:
    """Runs `command`, returning its stdout; on failure, raises with the end of its stderr."""
    out = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if out.returncode != 0:
        raise SystemExit(f"{' '.join(command[:4])} … failed ({out.returncode}):\n{out.stderr[-3000:]}")
    return out.stdout


def run_trl(model: Path, steps: int, beta: float, lora: bool) -> dict:
    command = [sys.executable, str(HERE / "trl_grpo.py"), str(model), "--steps", str(steps), "--beta", str(beta)] + (["--lora"] if lora else [])
    result = json.loads(run(command).strip().splitlines()[-1])
    return {"steps": result["step_seconds"], "tokens": result["mean_completion_tokens"]}


def run_rlaif(model: Path, steps: int, beta: float, lora: bool) -> dict:
    out_dir = Path("/tmp/grpo-peer-rlaif")
    env = {**os.environ, "RLAIF_PEER_MODEL": str(model), "RLAIF_PEER_BETA": str(beta), "RLAIF_PEER_STEPS": str(steps), "RLAIF_PEER_OUT": str(out_dir), "RLAIF_PEER_LORA": "1" if lora else "0"}
    run(["npx", "rlaif", "run", str(HERE / "rlaif.config.ts"), "--overwrite"], cwd=ROOT, env=env)
    rows = [json.loads(line) for line in (out_dir / "logs/json_summaries/batches.jsonl").read_text().splitlines() if line.strip()]
    elapsed = [row["elapsedSeconds"] for row in rows]
    # Step 1's time includes loading; steps 2..N are the differences of the elapsed clock at each batch row.
    steps_seconds = [elapsed[0]] + [b - a for a, b in zip(elapsed, elapsed[1:])]
    return {"steps": steps_seconds, "gen_tps": [row["metrics"].get("Performance/Generation_TokensPerSec") for row in rows], "train_tps": [row["metrics"].get("Performance/Backprop_TokensPerSec") for row in rows]}


def median_after_first(values: list) -> float:
    return statistics.median(values[1:])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=6)
    parser.add_argument("--betas", default="0.04,0")
    parser.add_argument("--rounds", type=int, default=1, help="alternate TRL and rlaif this many times per setting")
    parser.add_argument("--model-dir", default="/tmp/grpo-peer-model", help="where the 13m model is written (0.5b: this path + '-0.5b')")
    parser.add_argument("--shapes", default="13m", help="comma-separated: 13m (full fine-tuning), 0.5b (LoRA)")
    args = parser.parse_args()
    betas = [float(beta) for beta in args.betas.split(",")]
    shapes = {"13m": ("13M full", Path(args.model_dir), False), "0.5b": ("0.5B LoRA", Path(args.model_dir + "-0.5b"), True)}
    unknown = [s for s in args.shapes.split(",") if s not in shapes]
    if unknown:
        raise SystemExit(f"--shapes: unknown {', '.join(unknown)}; use {', '.join(shapes)}")
    settings = []
    for shape in args.shapes.split(","):
        name, model, lora = shapes[shape]
        run([sys.executable, str(HERE / "make_model.py"), str(model), "--prompts", str(4 * args.steps), "--shape", shape])
        settings += [(name, model, beta, lora) for beta in betas]
    load = os.getloadavg()[0]
    print(f"GRPO peer benchmark: {args.steps} steps of 4 prompts x 4 samples x 64 new tokens; {platform.machine()}, {os.cpu_count()} CPUs, load average {load:.1f} at start")
    print("| model | beta | TRL s/step | rlaif s/step | rlaif / TRL | rlaif generation / update tok/s |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, model, beta, lora in settings:
        for _ in range(args.rounds):
            trl = run_trl(model, args.steps, beta, lora)
            ours = run_rlaif(model, args.steps, beta, lora)
            t, r = median_after_first(trl["steps"]), median_after_first(ours["steps"])
            gen = statistics.median(x for x in ours["gen_tps"][1:] if x)
            upd = statistics.median(x for x in ours["train_tps"][1:] if x)
            print(f"| {name} | {beta:g} | {t:.2f} | {r:.2f} | {r / t:.2f} | {gen:.0f} / {upd:.0f} |", flush=True)
            print(json.dumps({"model": name, "beta": beta, "trl": trl, "rlaif": ours}), file=sys.stderr, flush=True)
    print(f"load average at end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
