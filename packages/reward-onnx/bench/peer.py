"""The peer of bench/throughput.ts: the same texts through transformers' fast tokenizer and Python onnxruntime.

  python peer.py <model dir> <texts.json> <batch size> <threads> <repeats>   → one JSON line: samples/s, ms per batch
"""

import json
import sys
import time

import numpy as np
import onnxruntime
from transformers import AutoTokenizer

folder, texts_file, batch_size, threads, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
texts = json.load(open(texts_file))
tokenizer = AutoTokenizer.from_pretrained(folder)
options = onnxruntime.SessionOptions()
options.intra_op_num_threads = threads
options.inter_op_num_threads = 1
session = onnxruntime.InferenceSession(f"{folder}/model.onnx", options, providers=["CPUExecutionProvider"])
names = [i.name for i in session.get_inputs()]


def score_all():
    out = []
    for start in range(0, len(texts), batch_size):
        encoded = tokenizer(texts[start : start + batch_size], padding=True, truncation=True, max_length=512, return_tensors="np")
        feeds = {name: encoded[name].astype(np.int64) if name in encoded else np.zeros_like(encoded["input_ids"], dtype=np.int64) for name in names}
        out.extend(session.run(["logits"], feeds)[0][:, -1].tolist())
    return out


score_all()  # warm-up
started = time.perf_counter()
for _ in range(repeats):
    scores = score_all()
seconds = time.perf_counter() - started
batches = repeats * ((len(texts) + batch_size - 1) // batch_size)
print(json.dumps({"samplesPerSec": repeats * len(texts) / seconds, "msPerBatch": 1000 * seconds / batches, "first": scores[:3]}))
