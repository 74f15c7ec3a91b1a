"""TRL's GRPOTrainer on the peer benchmark's student: the same work per step as `rlaif run` with
packages/backend-mlx/bench/grpo-peer/rlaif.config.ts. Prints one JSON line with the wall time of every step.

    python trl_grpo.py <model_dir> --steps 6 --beta 0.04 [--lora]
"""
import argparse
import json
import time

import torch
from datasets import load_dataset
from transformers import AutoModelForCausalLM, AutoTokenizer, TrainerCallback
from trl import GRPOConfig, GRPOTrainer


def free_reward(completions, **_):
    """The same free reward as the rlaif config: the share of distinct characters in the completion."""
    return [len(set(c)) / (len(c) + 1) for c in completions]


class StepTimes(TrainerCallback):
    def __init__(self):
        self.ends = []

    def on_train_begin(self, args, state, control, **kwargs):
        self.ends.append(time.perf_counter())

    def on_step_end(self, args, state, control, **kwargs):
        self.ends.append(time.perf_counter())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("model")
    parser.add_argument("--steps", type=int, default=6)
    parser.add_argument("--beta", type=float, default=0.04)
    parser.add_argument("--prompts", type=int, default=4)
    parser.add_argument("--samples", type=int, default=4)
    parser.add_argument("--new-tokens", type=int, default=64)
    parser.add_argument("--out", default="/tmp/grpo-peer-trl")
    parser.add_argument("--lora", action="store_true", help="LoRA r 16, alpha 32, no dropout, on every linear projection (as the rlaif side)")
    args = parser.parse_args()
    torch.manual_seed(0)
    dataset = load_dataset("json", data_files=f"{args.model}/prompts.jsonl", split="train")
    tokenizer = AutoTokenizer.from_pretrained(args.model)
    model = AutoModelForCausalLM.from_pretrained(args.model, dtype=torch.float32)
    config = GRPOConfig(
        output_dir=args.out,
        per_device_train_batch_size=args.prompts * args.samples,
        num_generations=args.samples,
        max_completion_length=args.new_tokens,
        temperature=1.0,
        top_p=1.0,
        learning_rate=1e-5,
        lr_scheduler_type="constant",
        beta=args.beta,
        max_grad_norm=1.0,
        max_steps=args.steps,
        logging_steps=1,
        save_strategy="no",
        report_to="none",
        use_cpu=True,
        bf16=False,
        shuffle_dataset=False,
        seed=0,
        disable_tqdm=True,
        # TRL turns activation checkpointing on by default; off, as rlaif trains (and TRL is faster on this small model).
        gradient_checkpointing=False,
    )
    timer = StepTimes()
    peft_config = None
    if args.lora:
        from peft import LoraConfig

        targets = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
        peft_config = LoraConfig(r=16, lora_alpha=32, lora_dropout=0.0, target_modules=targets, task_type="CAUSAL_LM")
    trainer = GRPOTrainer(model=model, reward_funcs=free_reward, args=config, train_dataset=dataset, processing_class=tokenizer, callbacks=[timer], peft_config=peft_config)
    trainer.train()
    steps = [b - a for a, b in zip(timer.ends, timer.ends[1:])]
    lengths = [row.get("completions/mean_length") for row in trainer.state.log_history if "completions/mean_length" in row]
    print(json.dumps({"engine": "trl", "beta": args.beta, "step_seconds": steps, "mean_completion_tokens": lengths, "torch_threads": torch.get_num_threads()}))


if __name__ == "__main__":
    main()
