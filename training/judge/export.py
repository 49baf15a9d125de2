"""Export a trained judge to the int8 ONNX file the grader ships.

    python training/judge/export.py --model judge.pt --check pairs.jsonl

Writes coach/grading/models/judge-int8.onnx and reports how often the int8 file agrees with
the trained model on the check pairs (it should be ~99%).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import onnxruntime as ort
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from export_embedder import MODELS, export  # noqa: E402
from judge.train import Judge, encode, load_encoder, predict, tokenizer  # noqa: E402

OUT = MODELS / "judge-int8.onnx"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--check", type=Path, required=True)
    args = parser.parse_args()
    saved = torch.load(args.model, weights_only=False)
    model = Judge(load_encoder(), layers=saved["layers"])
    model.load_state_dict(saved["state_dict"])
    model.eval()
    export(model, OUT, "logits", reduce_range=True)
    pairs = [json.loads(line) for line in args.check.read_text().splitlines()][:500]
    items = encode(tokenizer(), pairs)
    ref = predict(model, items)
    session = ort.InferenceSession(str(OUT))
    got = np.zeros_like(ref)
    for row, (ids, types, _) in enumerate(items):
        feed = {"input_ids": np.array([ids]), "attention_mask": np.ones((1, len(ids)), dtype=np.int64), "token_type_ids": np.array([types])}
        logits = session.run(None, feed)[0][0]
        got[row] = np.exp(logits - logits.max()) / np.exp(logits - logits.max()).sum()
    agree = float(np.mean(ref.argmax(1) == got.argmax(1)))
    print(f"int8 agrees with the trained model on {agree:.1%} of {len(items)} pairs; "
          f"largest probability gap {np.abs(ref - got).max():.3f}")
    print(f"wrote {OUT} ({OUT.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
