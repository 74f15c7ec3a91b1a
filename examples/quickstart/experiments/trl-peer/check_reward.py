"""Checks exec_reward.py against rlaif on a finished run's recorded RL samples: for each row of the
run's datasets/train.jsonl, the extracted code must equal rlaif's `code` and the pass rate its
`reward_functions.pass_rate`. Prints the agreement and the first disagreements.

    python check_reward.py <run dir>/datasets/train.jsonl [--rows 300] [--tasks tasks/train.jsonl]
"""
import argparse
import json
import random
import time
from collections import Counter
from pathlib import Path

from exec_reward import extract_code, pass_rate_reward

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("samples", type=Path)
    parser.add_argument("--rows", type=int, default=300)
    parser.add_argument("--tasks", type=Path, default=HERE.parents[1] / "tasks" / "train.jsonl")
    args = parser.parse_args()
    tests = {t["id"]: t["tests"] for t in map(json.loads, args.tasks.read_text().splitlines())}
    rows = [json.loads(line) for line in args.samples.read_text().splitlines() if line.strip()]
    rows = [r for r in rows if r.get("reward_functions", {}).get("pass_rate") is not None]
    random.Random(0).shuffle(rows)
    rows = rows[: args.rows]
    started = time.perf_counter()
    ours = pass_rate_reward([r["completion"] for r in rows], [r["language"] for r in rows], [tests[r["task_id"]] for r in rows])
    seconds = time.perf_counter() - started
    code_differs = [r["id"] for r in rows if extract_code(r["completion"], r["language"]) != r["code"]]
    score_differs = [(r["id"], r["reward_functions"]["pass_rate"], s) for r, s in zip(rows, ours) if abs(r["reward_functions"]["pass_rate"] - s) > 1e-9]
    print(json.dumps({
        "rows": len(rows),
        "languages": Counter(r["language"] for r in rows),
        "mean_reward_rlaif": sum(r["reward_functions"]["pass_rate"] for r in rows) / len(rows),
        "mean_reward_ours": sum(ours) / len(ours),
        "code_differs": len(code_differs),
        "score_differs": len(score_differs),
        "first_differences": score_differs[:5] + code_differs[:5],
        "seconds": round(seconds, 1),
    }))
    raise SystemExit(1 if code_differs or score_differs else 0)


if __name__ == "__main__":
    main()
