"""GRPO peer benchmark: TRL's GRPOTrainer and `rlaif run` on the same random Qwen2, the same work per
step, back to back; prints seconds per step (median of steps 2..N) for each and the ratio rlaif / TRL.
Run from the repository root after `npm run build`, with a Python that has torch, transformers, peft and trl:

    <venv>/bin/python packages/backend-mlx/bench/grpo-peer/peer.py [--steps 6] [--betas 0.04,0] [--rounds 1] [--lora-0.5b]
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


def run_trl(model: Path, steps: int, beta: float, lora: bool) -> dict:
    command = [sys.executable, str(HERE / "trl_grpo.py"), str(model), "--steps", str(steps), "--beta", str(beta)] + (["--lora"] if lora else [])
    out = subprocess.run(command, check=True, capture_output=True, text=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    return {"steps": result["step_seconds"], "tokens": result["mean_completion_tokens"]}


def run_rlaif(model: Path, steps: int, beta: float, lora: bool) -> dict:
    out_dir = Path("/tmp/grpo-peer-rlaif")
    env = {**os.environ, "RLAIF_PEER_MODEL": str(model), "RLAIF_PEER_BETA": str(beta), "RLAIF_PEER_STEPS": str(steps), "RLAIF_PEER_LORA": "1" if lora else "0", "RLAIF_PEER_OUT": str(out_dir)}
    subprocess.run(["npx", "rlaif", "run", str(HERE / "rlaif.config.ts"), "--overwrite"], check=True, cwd=ROOT, env=env, capture_output=True, text=True)
    rows = [json.loads(line) for line in (out_dir / "logs/json_summaries/batches.jsonl").read_text().splitlines() if line.strip()]
    elapsed = [row["elapsedSeconds"] for row in rows]
    # Step 1's time includes loading; steps 2..N are the differences of the elapsed clock at each batch row.
    steps_seconds = [elapsed[0]] + [b - a for a, b in zip(elapsed, elapsed[1:])]
    generated = [row["metrics"].get("Batch/GeneratedTokens") or row["metrics"].get("Train/CompletionTokens_Mean") for row in rows]
    return {"steps": steps_seconds, "tokens": generated, "gen_tps": [row["metrics"].get("Performance/Generation_TokensPerSec") for row in rows], "train_tps": [row["metrics"].get("Performance/Backprop_TokensPerSec") for row in rows]}


def median_after_first(values: list) -> float:
    return statistics.median(values[1:])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=6)
    parser.add_argument("--betas", default="0.04,0")
    parser.add_argument("--rounds", type=int, default=1, help="alternate TRL and rlaif this many times per setting")
    parser.add_argument("--lora-0.5b", dest="lora_05b", action="store_true", help="also LoRA r=8 on the 0.5B shape (β=0.04)")
    parser.add_argument("--model-dir", default="/tmp/grpo-peer-model")
    args = parser.parse_args()
    settings = [("13M full", Path(args.model_dir), beta, False) for beta in map(float, args.betas.split(","))]
    subprocess.run([sys.executable, str(HERE / "make_model.py"), args.model_dir, "--prompts", str(4 * args.steps)], check=True, capture_output=True)
    if args.lora_05b:
        big = Path(args.model_dir + "-0.5b")
        subprocess.run([sys.executable, str(HERE / "make_model.py"), str(big), "--shape", "qwen0.5b", "--prompts", str(4 * args.steps)], check=True, capture_output=True)
        settings.append(("0.5B LoRA r=8", big, 0.04, True))
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
