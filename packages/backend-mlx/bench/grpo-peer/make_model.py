"""Creates the peer benchmark's student in Hugging Face layout: a random Qwen2 (13m: 8 layers, hidden
384, GQA 6/2; 0.5b: Qwen2.5-0.5B's shape; tied embeddings, fp32) with a byte-level BPE tokenizer of
~700 tokens learned from the quickstart's tasks, plus the prompts both trainers use (rlaif
tasks.jsonl, TRL prompts.jsonl).

    python make_model.py <out_dir> --prompts 64 [--shape 13m|0.5b]
"""
import argparse
import json
from pathlib import Path

import torch
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
from transformers import PreTrainedTokenizerFast, Qwen2Config, Qwen2ForCausalLM

SHAPES = {
    # The shape: ~13 M parameters.
    "13m": dict(hidden_size=384, num_hidden_layers=8, num_attention_heads=6, num_key_value_heads=2, intermediate_size=1024, vocab=700),
    # Qwen2.5-0.5B's shape (494 M parameters with its 151,936-token vocabulary): the LoRA variant.
    "0.5b": dict(hidden_size=896, num_hidden_layers=24, num_attention_heads=14, num_key_value_heads=2, intermediate_size=4864, vocab=151936),
}
EOS = "<|endoftext|>"
LANGUAGES = {"python": "Python", "cpp": "C++", "rust": "Rust"}


def padded(bpe: Tokenizer, size: int) -> Tokenizer:
    """`bpe` with filler tokens appended up to `size` ids: a real-sized vocabulary (and output layer)
    whose extra ids no merge produces but every one decodes, as a random model samples them all."""
    spec = json.loads(bpe.to_str())
    vocab = spec["model"]["vocab"]
    next_id, n = len(vocab), 0
    while next_id < size:
        token = f"zq{n}"
        n += 1
        if token not in vocab:
            vocab[token] = next_id
            next_id += 1
    return Tokenizer.from_str(json.dumps(spec))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--prompts", type=int, default=64)
    parser.add_argument("--shape", default="13m", choices=SHAPES)
    parser.add_argument("--tasks", default=str(Path(__file__).resolve().parents[4] / "examples/quickstart/tasks/train.jsonl"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    shape = dict(SHAPES[args.shape])
    vocab = shape.pop("vocab")
    tasks = [json.loads(line) for line in Path(args.tasks).read_text().splitlines() if line.strip()]

    bpe = Tokenizer(models.BPE())
    bpe.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    bpe.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=min(vocab, 700), special_tokens=[EOS], initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    bpe.train_from_iterator([t["prompt"] + "\n" + t.get("reference", "") + "\n" + t.get("tests", "") for t in tasks], trainer)
    if vocab > bpe.get_vocab_size():
        bpe = padded(bpe, vocab)
    fast = PreTrainedTokenizerFast(tokenizer_object=bpe, eos_token=EOS, pad_token=EOS)
    fast.save_pretrained(out)

    torch.manual_seed(0)
    # The vocabulary is the tokenizer's own (13m: ~660 of the 700 asked for), so every sampled id decodes.
    vocab = len(fast)
    config = Qwen2Config(vocab_size=vocab, max_position_embeddings=512, tie_word_embeddings=True, rope_theta=10000.0,
                         eos_token_id=fast.eos_token_id, pad_token_id=fast.eos_token_id, bos_token_id=fast.eos_token_id,
                         torch_dtype="float32", **shape)
    model = Qwen2ForCausalLM(config).to(torch.float32)
    model.generation_config.eos_token_id = fast.eos_token_id
    model.generation_config.pad_token_id = fast.eos_token_id
    model.save_pretrained(out, safe_serialization=True)
    params = sum(p.numel() for p in model.parameters())

    chosen = tasks[: args.prompts]
    with open(out / "tasks.jsonl", "w") as f:
        for t in chosen:
            f.write(json.dumps({"id": t["id"], "language": t["language"], "prompt": t["prompt"], "tests": t["tests"]}) + "\n")
    # Exactly the text rlaif's backend feeds the model without a chat template (backend-mlx task-prompt.ts).
    with open(out / "prompts.jsonl", "w") as f:
        for t in chosen:
            text = f"{t['prompt'].strip()}\n\nWrite the solution in {LANGUAGES[t['language']]}, in a single ```{t['language']} code block.\n"
            f.write(json.dumps({"prompt": text}) + "\n")
    print(json.dumps({"parameters": params, "vocab": vocab, "tokenizer_vocab": fast.vocab_size, "prompts": len(chosen)}))


if __name__ == "__main__":
    main()
