"""Creates the tiny random checkpoints and golden outputs the backend-mlx tests compare against.

Run from the repository root (PyTorch CPU + transformers, about a minute):
    python3 -m venv .venv && .venv/bin/pip install torch==2.13.0 && .venv/bin/pip install transformers safetensors tokenizers
    .venv/bin/python packages/backend-mlx/scripts/make_golden.py

Writes packages/backend-mlx/fixtures/{tiny-qwen2,tiny-llama}/ in Hugging Face layout (config.json,
model.safetensors, tokenizer.json, tokenizer_config.json, generation_config.json) plus golden.json:
logits of a fixed prompt (fp32 weights and bf16-rounded weights), and a 32-token greedy continuation.
Everything is seeded, so reruns give the same files.
"""

import json
import os
import shutil

import torch
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers
from transformers import LlamaConfig, LlamaForCausalLM, Qwen2Config, Qwen2ForCausalLM

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "fixtures")
VOCAB = 384
PROMPT = "def fibonacci(n):\n    if n < 2:\n        return n\n"
CONTINUATION_TOKENS = 32

# A little code to train the byte-level BPE on; the tokenizer only needs to be real, not good.
CORPUS = [
    "def fibonacci(n):\n    if n < 2:\n        return n\n    return fibonacci(n - 1) + fibonacci(n - 2)\n",
    "def add(a, b):\n    return a + b\n\nprint(add(1, 2))\n",
    "for i in range(10):\n    if i % 2 == 0:\n        print(i)\n",
    "class Stack:\n    def __init__(self):\n        self.items = []\n\n    def push(self, x):\n        self.items.append(x)\n",
    "int main() {\n    int x = 0;\n    for (int i = 0; i < 10; ++i) x += i;\n    return x;\n}\n",
    "fn main() {\n    let v: Vec<i32> = (0..10).collect();\n    println!(\"{:?}\", v);\n}\n",
    "import os\nimport sys\n\ndef main():\n    return sys.argv\n",
    "Write a function that returns the sum of a list of numbers.\n",
] * 4

CHATML_TEMPLATE = (
    "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}"
    "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)
LLAMA_TEMPLATE = (
    "{{ bos_token }}{% for message in messages %}{{ '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n' + message['content'] + '<|eot_id|>' }}"
    "{% endfor %}{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}"
)


def train_tokenizer(special_tokens, bos_token=None):
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=VOCAB - len(special_tokens),
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator(CORPUS, trainer=trainer)
    tok.add_special_tokens(special_tokens)
    if bos_token is None:
        tok.post_processor = processors.ByteLevel(trim_offsets=False)
    else:
        bos_id = tok.token_to_id(bos_token)
        tok.post_processor = processors.TemplateProcessing(single=f"{bos_token} $A", pair=f"{bos_token} $A {bos_token} $B", special_tokens=[(bos_token, bos_id)])
    return tok


def randomize(model, seed):
    # HF's 0.02 init gives near-uniform logits; larger weights make the comparison meaningful.
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("norm.weight"):
                p.copy_(1.0 + 0.1 * torch.randn(p.shape, generator=gen))
            elif p.ndim == 1:
                p.copy_(0.1 * torch.randn(p.shape, generator=gen))
            else:
                p.copy_(torch.randn(p.shape, generator=gen) / (p.shape[1] ** 0.5))


def greedy(model, ids, steps):
    out = list(ids)
    with torch.no_grad():
        for _ in range(steps):
            logits = model(torch.tensor([out])).logits[0, -1]
            out.append(int(torch.argmax(logits)))
    return out[len(ids):]


def golden(folder, model_class, tokenizer):
    model = model_class.from_pretrained(folder, dtype=torch.float32).eval()
    ids = tokenizer.encode(PROMPT).ids
    with torch.no_grad():
        logits = model(torch.tensor([ids])).logits[0]
    bf16 = model_class.from_pretrained(folder, dtype=torch.float32).eval()
    with torch.no_grad():
        for p in bf16.parameters():
            p.copy_(p.to(torch.bfloat16).to(torch.float32))
        logits_bf16 = bf16(torch.tensor([ids])).logits[0]
    result = {
        "prompt": PROMPT,
        "promptIds": ids,
        "logits": [[round(float(v), 6) for v in row] for row in logits],
        "lastLogitsBf16Weights": [round(float(v), 6) for v in logits_bf16[-1]],
        "greedyIds": greedy(model, ids, CONTINUATION_TOKENS),
        "torch": torch.__version__,
    }
    with open(os.path.join(folder, "golden.json"), "w") as f:
        json.dump(result, f, separators=(",", ":"))


def write_json(path, value):
    with open(path, "w") as f:
        json.dump(value, f, indent=2)
        f.write("\n")


def build(name, model_class, config_class, config, tokenizer, tokenizer_config, generation_config, seed):
    folder = os.path.join(FIXTURES, name)
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    torch.manual_seed(seed)
    model = model_class(config_class(**config))
    randomize(model, seed)
    model.save_pretrained(folder, safe_serialization=True)
    # save_pretrained creates the file owner-only; fixtures are committed, so make it world-readable.
    os.chmod(os.path.join(folder, "model.safetensors"), 0o644)
    # Write config.json in the classic layout (rope_theta / rope_scaling) that published checkpoints use.
    write_json(os.path.join(folder, "config.json"), {**config, "torch_dtype": "float32"})
    write_json(os.path.join(folder, "generation_config.json"), generation_config)
    tokenizer.save(os.path.join(folder, "tokenizer.json"))
    write_json(os.path.join(folder, "tokenizer_config.json"), tokenizer_config)
    golden(folder, model_class, tokenizer)


def main():
    qwen_special = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
    qwen_tok = train_tokenizer(qwen_special)
    build(
        "tiny-qwen2",
        Qwen2ForCausalLM,
        Qwen2Config,
        {
            "architectures": ["Qwen2ForCausalLM"],
            "model_type": "qwen2",
            "vocab_size": VOCAB,
            "hidden_size": 64,
            "intermediate_size": 128,
            "num_hidden_layers": 2,
            "num_attention_heads": 4,
            "num_key_value_heads": 2,
            "hidden_act": "silu",
            "max_position_embeddings": 512,
            "rms_norm_eps": 1e-6,
            "rope_theta": 10000.0,
            "rope_scaling": None,
            "tie_word_embeddings": True,
            "bos_token_id": qwen_tok.token_to_id("<|endoftext|>"),
            "eos_token_id": qwen_tok.token_to_id("<|endoftext|>"),
            "use_sliding_window": False,
        },
        qwen_tok,
        {
            "tokenizer_class": "PreTrainedTokenizerFast",
            "eos_token": "<|im_end|>",
            "pad_token": "<|endoftext|>",
            "bos_token": None,
            "chat_template": CHATML_TEMPLATE,
            "model_max_length": 512,
        },
        {"bos_token_id": qwen_tok.token_to_id("<|endoftext|>"), "eos_token_id": [qwen_tok.token_to_id("<|im_end|>"), qwen_tok.token_to_id("<|endoftext|>")]},
        seed=1234,
    )
    llama_special = ["<|begin_of_text|>", "<|end_of_text|>", "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>"]
    llama_tok = train_tokenizer(llama_special, bos_token="<|begin_of_text|>")
    build(
        "tiny-llama",
        LlamaForCausalLM,
        LlamaConfig,
        {
            "architectures": ["LlamaForCausalLM"],
            "model_type": "llama",
            "vocab_size": VOCAB,
            "hidden_size": 64,
            "intermediate_size": 160,
            "num_hidden_layers": 2,
            "num_attention_heads": 4,
            "num_key_value_heads": 1,
            "head_dim": 16,
            "hidden_act": "silu",
            "max_position_embeddings": 1024,
            "rms_norm_eps": 1e-5,
            "rope_theta": 500000.0,
            "rope_scaling": {
                "rope_type": "llama3",
                "factor": 8.0,
                "low_freq_factor": 1.0,
                "high_freq_factor": 4.0,
                "original_max_position_embeddings": 64,
            },
            "attention_bias": False,
            "mlp_bias": False,
            "tie_word_embeddings": False,
            "bos_token_id": llama_tok.token_to_id("<|begin_of_text|>"),
            "eos_token_id": llama_tok.token_to_id("<|end_of_text|>"),
        },
        llama_tok,
        {
            "tokenizer_class": "PreTrainedTokenizerFast",
            "bos_token": "<|begin_of_text|>",
            "eos_token": "<|eot_id|>",
            "chat_template": LLAMA_TEMPLATE,
            "model_max_length": 1024,
        },
        {"bos_token_id": llama_tok.token_to_id("<|begin_of_text|>"), "eos_token_id": [llama_tok.token_to_id("<|end_of_text|>"), llama_tok.token_to_id("<|eot_id|>")]},
        seed=5678,
    )


if __name__ == "__main__":
    main()
