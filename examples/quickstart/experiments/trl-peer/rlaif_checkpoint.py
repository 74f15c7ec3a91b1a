"""Between a PyTorch model folder and an rlaif checkpoint, for the TRL peer check.

`rlaif validate` loads a checkpoint as a resumable one: besides the weights it reads `manifest.json`
(the completion marker: every file with its size and SHA-256), `trainer_state.json` (it only has to
parse), `optimizer.json` + `optimizer.safetensors` (AdamW moments, `rlaif-adamw-v1`) and
`policy_state.json`. A folder written by transformers' `save_pretrained` has none of them, so
`finish_checkpoint` writes them, with the torch optimizer's real moments. `load_adam_state` goes the
other way: it starts a torch AdamW from the moments rlaif's SFT warm-up saved.

Parameter names: rlaif spells the Hugging Face names in camelCase per segment
(`model.layers.0.self_attn.q_proj.weight` ↔ `model.layers.0.selfAttn.qProj.weight`); tensors have the
same shapes (linear weights [out, in] in both). The tied output head is `model.embed_tokens.weight` in
both (torch's `named_parameters` lists the shared tensor once).

    python rlaif_checkpoint.py <model dir> --like <rlaif checkpoint>   # finishes a save_pretrained folder
"""
import argparse
import hashlib
import json
import re
from datetime import datetime, timezone
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file

MANIFEST = "manifest.json"
ADAM_FORMAT = "rlaif-adamw-v1"


def rlaif_name(torch_name: str) -> str:
    """`self_attn.q_proj` → `selfAttn.qProj`, segment by segment."""
    return ".".join(re.sub(r"_([a-z0-9])", lambda m: m.group(1).upper(), part) for part in torch_name.split("."))


def _named_trainable(model: torch.nn.Module) -> dict[str, torch.nn.Parameter]:
    return {rlaif_name(name): p for name, p in model.named_parameters() if p.requires_grad}


def _checked_names(model: torch.nn.Module, rlaif_json: dict, source: Path) -> dict[str, torch.nn.Parameter]:
    params = _named_trainable(model)
    if set(params) != set(rlaif_json["parameters"]):
        missing = sorted(set(rlaif_json["parameters"]) ^ set(params))[:5]
        raise SystemExit(f"{source}: optimizer state names do not match the model's parameters (first differences: {missing}); pass the SFT checkpoint of this same student")
    return params


def load_adam_state(model: torch.nn.Module, optimizer: torch.optim.Optimizer, checkpoint: Path) -> int:
    """Fills `optimizer`'s state from rlaif's optimizer.{json,safetensors}; returns the step count it carries."""
    meta = json.loads((checkpoint / "optimizer.json").read_text())
    if meta.get("format") != ADAM_FORMAT:
        raise SystemExit(f"{checkpoint}/optimizer.json: format {meta.get('format')!r}, expected {ADAM_FORMAT}")
    params = _checked_names(model, meta, checkpoint)
    tensors = load_file(str(checkpoint / "optimizer.safetensors"))
    # Bias correction in both uses the step count, so the carried moments keep the warm-up's t.
    step = torch.tensor(float(meta["step"]))
    for name, p in params.items():
        m, v = tensors[f"exp_avg.{name}"], tensors[f"exp_avg_sq.{name}"]
        if m.shape != p.shape or v.shape != p.shape:
            raise SystemExit(f"{checkpoint}: moment of {name} is {tuple(m.shape)}, parameter is {tuple(p.shape)}")
        optimizer.state[p] = {"step": step.clone(), "exp_avg": m.to(p.dtype).clone(), "exp_avg_sq": v.to(p.dtype).clone()}
    return int(meta["step"])


def save_adam_state(model: torch.nn.Module, optimizer: torch.optim.Optimizer, folder: Path, like: Path) -> int:
    """Writes `optimizer`'s moments in rlaif's format, parameters in the order of `like`'s optimizer.json."""
    template = json.loads((like / "optimizer.json").read_text())
    params = _checked_names(model, template, like)
    group = optimizer.param_groups[0]
    tensors, step = {}, 0
    for name in template["parameters"]:
        p = params[name]
        state = optimizer.state.get(p, {})
        tensors[f"exp_avg.{name}"] = state.get("exp_avg", torch.zeros_like(p)).detach().float().contiguous()
        tensors[f"exp_avg_sq.{name}"] = state.get("exp_avg_sq", torch.zeros_like(p)).detach().float().contiguous()
        step = max(step, int(state["step"].item()) if "step" in state else 0)
    save_file(tensors, str(folder / "optimizer.safetensors"))
    meta = {"format": ADAM_FORMAT, "step": step, "parameters": template["parameters"], "betas": list(group["betas"]), "epsilon": group["eps"], "weightDecay": group["weight_decay"]}
    (folder / "optimizer.json").write_text(json.dumps(meta, indent=2) + "\n")
    return step


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def finish_checkpoint(folder: Path, updates: int, writer: str) -> None:
    """Adds policy_state.json, a trainer_state.json if absent, and last the manifest (format 1 of
    packages/core/src/checkpoint/manifest.ts), so `rlaif validate --checkpoint <folder>` loads it."""
    (folder / "policy_state.json").write_text(json.dumps({"version": updates, "updates": updates, "policyUpdates": updates, "backend": writer}, indent=2) + "\n")
    state = folder / "trainer_state.json"
    if not state.exists():
        state.write_text(json.dumps({"writtenBy": writer, "note": "not an rlaif run: nothing to resume"}) + "\n")
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.name != MANIFEST)
    manifest = {
        "formatVersion": 1,
        "complete": True,
        "name": folder.name,
        "epoch": 0,
        "batch": 0,
        "globalStep": updates,
        "createdAt": datetime.now(timezone.utc).isoformat(),
        "files": [{"path": p.name, "bytes": p.stat().st_size, "sha256": _sha256(p)} for p in files],
        # No run directory comes with it: nothing to truncate on resume.
        "appendOnlyFiles": {},
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")


if __name__ == "__main__":
    # Finishes a folder whose model has no optimizer of its own: a fresh AdamW carrying `like`'s moments.
    from transformers import AutoModelForCausalLM

    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("--like", type=Path, required=True, help="an rlaif checkpoint of the same model (parameter order, moments)")
    args = parser.parse_args()
    model = AutoModelForCausalLM.from_pretrained(args.folder, dtype=torch.float32)
    optimizer = torch.optim.AdamW(model.parameters(), lr=0.0, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0)
    step = load_adam_state(model, optimizer, args.like)
    save_adam_state(model, optimizer, args.folder, args.like)
    finish_checkpoint(args.folder, step, "rlaif_checkpoint.py")
    print(f"{args.folder}: rlaif checkpoint files written (step {step})")
