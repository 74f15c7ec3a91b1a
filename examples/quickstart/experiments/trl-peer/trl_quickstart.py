"""TRL's GRPOTrainer on the quickstart's RL phase: from the SFT warm-up's checkpoint, with the same
reward (exec_reward.py: the task's tests, run), prompts (the student's chat template over core's task
instruction), and settings as examples/quickstart/rlaif.config.ts — 8 prompts × 12 samples per batch,
the run's rollout temperature (--temperature; run.sh reads it from the run's run.json), top-p 1, 72 new tokens, group-normalised advantages, two PPO-clipped passes per batch
(clip 0.2), no KL term, token-mean loss, AdamW 3e-4 constant with betas (0.9, 0.999), eps 1e-8, no
weight decay, gradient clipping at 1 — for a wall-time budget or a number of batches. Saves the model
with save_pretrained plus the files `rlaif validate` needs (rlaif_checkpoint.py).

    python trl_quickstart.py --sft <checkpoint-sft-gs*> --out <dir> [--seconds 222 | --batches 32] [--adam-state] [--temperature 1.3]
"""
import argparse
import json
import subprocess
import time
from pathlib import Path

import torch
from datasets import Dataset
from transformers import AutoModelForCausalLM, AutoTokenizer, TrainerCallback
from trl import GRPOConfig, GRPOTrainer

from exec_reward import pass_rate_reward
from rlaif_checkpoint import finish_checkpoint, load_adam_state, save_adam_state

HERE = Path(__file__).resolve().parent
QUICKSTART = HERE.parents[1]
LANGUAGE_NAMES = {"python": "Python", "cpp": "C++", "rust": "Rust"}
PROMPTS, SAMPLES, PASSES = 8, 12, 2


def instruction(task: dict) -> str:
    """@rlaif/hf's `taskInstruction`: the prompt and the language to answer in."""
    return f"{task['prompt'].strip()}\n\nWrite the solution in {LANGUAGE_NAMES[task['language']]}, in a single ```{task['language']} code block."


def check_prompt_ids(tokenizer, model_dir: Path, tasks_file: Path, tasks: list[dict], count: int) -> int:
    """Compares TRL's prompt ids (the tokenizer's chat template, as GRPOTrainer applies it) with rlaif's
    `formatTaskPrompt` for `count` tasks (prompt-ids.mjs); exits on the first difference."""
    out = subprocess.run(["node", str(HERE / "prompt-ids.mjs"), str(model_dir), str(tasks_file), str(count)], capture_output=True, text=True, check=True, cwd=QUICKSTART)
    by_id = {t["id"]: t for t in tasks}
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    for row in rows:
        ours = tokenizer.apply_chat_template([{"role": "user", "content": instruction(by_id[row["id"]])}], add_generation_prompt=True, tokenize=True, return_dict=True)["input_ids"]
        if list(ours) != row["ids"]:
            raise SystemExit(f"prompt ids differ for {row['id']}:\n  rlaif {row['ids']}\n  trl   {list(ours)}")
    return len(rows)


class WallClock(TrainerCallback):
    """Stops at a batch boundary (every PASSES optimizer steps) when the next batch would not finish
    within the budget, and records when each batch ended."""

    def __init__(self, seconds: float | None):
        self.seconds = seconds
        self.started = 0.0
        self.batch_ends: list[float] = []

    def on_train_begin(self, args, state, control, **kwargs):
        self.started = time.perf_counter()

    def on_step_end(self, args, state, control, **kwargs):
        if state.global_step % PASSES:
            return
        self.batch_ends.append(time.perf_counter() - self.started)
        if self.seconds is None:
            return
        last = self.batch_ends[-1] - (self.batch_ends[-2] if len(self.batch_ends) > 1 else 0.0)
        if self.batch_ends[-1] + last > self.seconds:
            control.should_training_stop = True


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sft", type=Path, required=True, help="the quickstart run's checkpoint-sft-gs* folder")
    parser.add_argument("--out", type=Path, required=True, help="where to save TRL's final model")
    parser.add_argument("--seconds", type=float, default=222.0, help="wall-time budget of training (default: the quickstart's RL phase, 222 s on 6 Dec 2026)")
    parser.add_argument("--batches", type=int, help="train exactly this many batches, whatever the time (overrides --seconds)")
    parser.add_argument("--temperature", type=float, default=1.3, help="rollout temperature (the quickstart's rlaif.temperature); the loss's log-probs are taken at it, as rlaif's are")
    parser.add_argument("--adam-state", action="store_true", help="start AdamW from the SFT checkpoint's moments (optimizer.safetensors), as rlaif does")
    parser.add_argument("--tasks", type=Path, default=QUICKSTART / "tasks" / "train.jsonl")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--check-prompts", type=int, default=12, help="tasks whose prompt ids are compared with rlaif's (0 = skip)")
    args = parser.parse_args()

    tasks = [json.loads(line) for line in args.tasks.read_text().splitlines() if line.strip()]
    tokenizer = AutoTokenizer.from_pretrained(args.sft)
    if args.check_prompts:
        print(f"prompt ids equal to rlaif's for {check_prompt_ids(tokenizer, args.sft, args.tasks, tasks, args.check_prompts)} tasks", flush=True)
    dataset = Dataset.from_list([{"prompt": [{"role": "user", "content": instruction(t)}], "language": t["language"], "tests": t["tests"]} for t in tasks])
    model = AutoModelForCausalLM.from_pretrained(args.sft, dtype=torch.float32)

    batches = args.batches
    config = GRPOConfig(
        output_dir=str(args.out / "trainer"),
        # One optimizer step sees the whole batch (8 prompts × 12 samples), reused for PASSES steps.
        per_device_train_batch_size=PROMPTS * SAMPLES,
        gradient_accumulation_steps=1,
        num_generations=SAMPLES,
        num_iterations=PASSES,
        max_completion_length=72,
        temperature=args.temperature,
        top_p=1.0,
        top_k=0,
        beta=0.0,
        epsilon=0.2,
        scale_rewards="group",
        # Token mean over the whole batch, as rlaif's `aggregation: 'token'`.
        loss_type="dapo",
        learning_rate=3e-4,
        lr_scheduler_type="constant",
        warmup_steps=0,
        adam_beta1=0.9,
        adam_beta2=0.999,
        adam_epsilon=1e-8,
        weight_decay=0.0,
        max_grad_norm=1.0,
        # A wall-time run stops through WallClock; max_steps only has to be out of reach.
        max_steps=(batches if batches is not None else 10_000) * PASSES,
        logging_steps=PASSES,
        save_strategy="no",
        report_to="none",
        use_cpu=True,
        bf16=False,
        seed=args.seed,
        disable_tqdm=True,
        # TRL turns activation checkpointing on by default; rlaif trains without it.
        gradient_checkpointing=False,
    )
    clock = WallClock(None if batches is not None else args.seconds)
    trainer = GRPOTrainer(model=model, reward_funcs=pass_rate_reward, args=config, train_dataset=dataset, processing_class=tokenizer, callbacks=[clock])
    # Created now so the carried moments are in place before the first step; train() keeps this optimizer.
    optimizer = trainer.create_optimizer()
    carried = load_adam_state(model, optimizer, args.sft) if args.adam_state else 0
    trainer.train()
    steps = trainer.state.global_step

    args.out.mkdir(parents=True, exist_ok=True)
    trainer.save_model(str(args.out))
    tokenizer.save_pretrained(str(args.out))
    trainer.state.save_to_json(str(args.out / "trainer_state.json"))
    adam_step = save_adam_state(model, optimizer, args.out, args.sft)
    # The carried state must have been the one updated: its step count continues the warm-up's.
    if adam_step != carried + steps:
        raise SystemExit(f"AdamW step is {adam_step}, expected {carried} carried + {steps} taken: the optimizer TRL stepped is not the one prepared")
    finish_checkpoint(args.out, steps, "trl")
    logs = [row for row in trainer.state.log_history if "reward" in row]
    print(json.dumps({
        "engine": "trl",
        "batches": steps // PASSES,
        "optimizer_steps": steps,
        "adam_state": "carried from SFT" if args.adam_state else "fresh",
        "train_seconds": round(clock.batch_ends[-1], 1) if clock.batch_ends else None,
        "budget_seconds": None if batches is not None else args.seconds,
        "mean_train_reward": round(sum(r["reward"] for r in logs) / len(logs), 4) if logs else None,
        "train_reward_by_batch": [round(r["reward"], 3) for r in logs],
        "torch_threads": torch.get_num_threads(),
        "out": str(args.out),
    }), flush=True)


if __name__ == "__main__":
    main()
