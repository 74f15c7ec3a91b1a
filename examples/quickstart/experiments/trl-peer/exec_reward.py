"""The quickstart's `pass_rate` reward for TRL: the share of a task's tests a completion passes, 0 when
its code does not compile or a test times out, as `@rlaif/teacher-exec` scores it — the code is the
completion's fenced block as core's `extractCode` picks it, combined with the task's tests in
teacher-exec's formats and built with the same compilers and flags (python3; g++ -std=c++17 -O2;
rustc --edition 2021 -O).

NOT SANDBOXED: candidates run as the current user with only a timeout and a temporary directory each.
That is acceptable for this peer check (tiny list functions written by a 1.2 M-parameter student);
do not point it at untrusted code. `@rlaif/teacher-exec` is the sandboxed implementation.

    python exec_reward.py tasks.jsonl    # scores every task's reference: all must get 1.0
"""
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

COMPILE_SECONDS = 60
# teacher-exec's default test limit (testLimits.wallMs).
TEST_SECONDS = 10
# As the quickstart's teacher: four candidates in flight on two cores.
CONCURRENCY = 4

FENCE_TAGS = {"python": ("python", "py", "python3"), "cpp": ("cpp", "c++", "cc", "cxx"), "rust": ("rust", "rs")}
_FENCE = re.compile(r"(`{3,})([^\n`]*)\n([\s\S]*?)\n?\1")
_OPEN_FENCE = re.compile(r"(^|\n)\s*`{3,}[^\n]*\n([\s\S]*)\Z")


def _tidy(code: str) -> str:
    return re.sub(r"^(\s*\n)+", "", code).rstrip()


def extract_code(reply: str, language: str) -> str:
    """core's `extractCode`: the first block tagged with `language`, else the longest fenced block, else
    the body of an unterminated fence (a reply cut off by max tokens), else the whole reply."""
    blocks = [(m.group(2).strip().lower(), m.group(3)) for m in _FENCE.finditer(reply)]
    tagged = next((body for tag, body in blocks if re.split(r"\s", tag)[0] in FENCE_TAGS[language]), None)
    if tagged is not None:
        return _tidy(tagged)
    if blocks:
        return _tidy(max(blocks, key=lambda block: len(block[1]))[1])
    match = _OPEN_FENCE.search(reply)
    return _tidy(match.group(2) if match else reply)


def _run(command: list[str], cwd: str, seconds: float) -> tuple[int | None, str]:
    """(exit code, stdout); None when it timed out. Runs in its own session so a timeout kills the whole group."""
    process = subprocess.Popen(command, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, errors="replace", start_new_session=True)
    try:
        out, _ = process.communicate(timeout=seconds)
        return process.returncode, out
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        return None, ""


# Python: candidate and tests share one namespace (as in teacher-exec); each test's verdict line carries
# a nonce the candidate cannot know, printed only after the test function returned.
_PY_HARNESS = """
import sys
source = open(sys.argv[1]).read()
nonce = sys.argv[2]
try:
    code = compile(source, "solution.py", "exec")
except (SyntaxError, ValueError):
    print("NOCOMPILE " + nonce)
    sys.exit(0)
namespace = {"__name__": "solution"}
try:
    exec(code, namespace)
except BaseException:
    sys.exit(1)
for name in sys.argv[3:]:
    try:
        namespace[name]()
    except BaseException:
        continue
    print("PASS " + name + " " + nonce, flush=True)
"""


def _python(code: str, tests: str, work: str) -> float:
    names = re.findall(r"^def (test_\w*)\s*\(", tests, re.M)
    Path(work, "solution.py").write_text(f"{code}\n\n\n{tests}")
    Path(work, "harness.py").write_text(_PY_HARNESS)
    nonce = secrets.token_hex(8)
    status, out = _run(["python3", "-I", "-B", "harness.py", "solution.py", nonce, *names], work, TEST_SECONDS)
    if status is None or f"NOCOMPILE {nonce}" in out or not names:
        return 0.0
    return sum(f"PASS {name} {nonce}" in out for name in names) / len(names)


def _cpp(code: str, tests: str, work: str) -> float:
    names = re.findall(r"^\s*void\s+(test_\w*)\s*\(\s*\)", tests, re.M)
    if not names:
        return 0.0
    # The candidate's own main never runs (teacher-exec renames it away too).
    candidate = re.sub(r"\bmain\s*\(", "rlaif_candidate_main(", code)
    dispatch = "\n".join(f'    if (std::strcmp(argv[1], "{name}") == 0) {{ {name}(); std::printf("PASS %s\\n", argv[2]); return 0; }}' for name in names)
    main = f"\nint main(int argc, char** argv) {{\n    if (argc < 3) return 2;\n{dispatch}\n    return 3;\n}}\n"
    Path(work, "main.cpp").write_text(f"#include <cstdio>\n#include <cstring>\n{candidate}\n\n{tests}\n{main}")
    status, _ = _run(["g++", "-std=c++17", "-O2", "-o", "prog", "main.cpp"], work, COMPILE_SECONDS)
    if status != 0:
        return 0.0
    passed = 0
    for name in names:
        nonce = secrets.token_hex(8)
        status, out = _run(["./prog", name, nonce], work, TEST_SECONDS)
        if status is None:
            return 0.0
        passed += status == 0 and f"PASS {nonce}" in out
    return passed / len(names)


def _rust(code: str, tests: str, work: str) -> float:
    names = re.findall(r"#\[test\]\s*fn\s+(\w+)\s*\(", tests)
    if not names:
        return 0.0
    # libtest's harness runs each #[test] and catches its panic; a candidate's main is not called.
    Path(work, "main.rs").write_text(f"{code}\n\n{tests}")
    status, _ = _run(["rustc", "--edition", "2021", "-O", "--test", "-o", "prog", "main.rs"], work, COMPILE_SECONDS)
    if status is None or status != 0:
        return 0.0
    status, out = _run(["./prog", "--test-threads=1", "--color=never"], work, TEST_SECONDS * len(names))
    if status is None:
        return 0.0
    return sum(re.search(rf"^test (tests::)?{re.escape(name)} \.\.\. ok$", out, re.M) is not None for name in names) / len(names)


_RUNNERS = {"python": _python, "cpp": _cpp, "rust": _rust}
# Identical samples of a group are scored once, as teacher-exec's result cache does.
_cache: dict[tuple[str, str, str], float] = {}
_cache_lock = threading.Lock()


def pass_rate(code: str, language: str, tests: str) -> float:
    """Share of `tests` that `code` passes, in a fresh temporary directory."""
    key = (language, code, tests)
    with _cache_lock:
        if key in _cache:
            return _cache[key]
    with tempfile.TemporaryDirectory(prefix="trl-peer-") as work:
        score = _RUNNERS[language](code, tests, work)
    with _cache_lock:
        _cache[key] = score
    return score


_pool = ThreadPoolExecutor(CONCURRENCY)


def pass_rate_reward(completions, language, tests, **_) -> list[float]:
    """TRL reward function: one score per completion; `language` and `tests` are the dataset's columns."""
    texts = [c if isinstance(c, str) else c[-1]["content"] for c in completions]
    jobs = [_pool.submit(pass_rate, extract_code(text, lang), lang, test) for text, lang, test in zip(texts, language, tests)]
    return [job.result() for job in jobs]


if __name__ == "__main__":
    import time

    tasks = [json.loads(line) for line in Path(sys.argv[1]).read_text().splitlines() if line.strip()]
    started = time.perf_counter()
    scores = pass_rate_reward([f"```{t['language']}\n{t['reference']}```" for t in tasks], [t["language"] for t in tasks], [t["tests"] for t in tasks])
    wrong = [t["id"] for t, s in zip(tasks, scores) if s != 1.0]
    print(json.dumps({"tasks": len(tasks), "all_pass": not wrong, "not_passing": wrong[:10], "seconds": round(time.perf_counter() - started, 1)}))
    sys.exit(1 if wrong else 0)
