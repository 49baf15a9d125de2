"""Rebuild a training checkpoint from the judge the grader ships, so training can go on from it.

    python training/judge/recover.py --out judge.pt

The fp32 checkpoint of a judge is not committed (90 MB); its int8 ONNX file is. Every weight in
that file is either fp32 (biases, layer norms) or int8 with a per-channel scale and zero point,
so dequantizing gives the trained weights back to within the quantization step. `--init judge.pt`
on train.py then continues from the shipped judge instead of repeating the stages before it.
Prints how often the rebuilt model agrees with the ONNX file on a few pairs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import onnx
import torch
from onnx import numpy_helper

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from export_embedder import MODELS  # noqa: E402
from judge.train import LABELS, Judge, load_encoder  # noqa: E402

SOURCE = MODELS / "judge-int8.onnx"


def _weights(model: onnx.ModelProto) -> dict[str, np.ndarray]:
    """Every weight by its torch name, dequantized; MatMul weights are named by the node using them."""
    raw = {init.name: numpy_helper.to_array(init) for init in model.graph.initializer}
    consumer = {}
    for node in model.graph.node:
        for name in node.input:
            if name.endswith("_quantized"):
                consumer[name] = node
    out: dict[str, np.ndarray] = {}
    for name, value in raw.items():
        if name.endswith(("_scale", "_zero_point")):
            continue
        if not name.endswith("_quantized"):
            out[name] = value.astype(np.float32)
            continue
        base = name.removesuffix("_quantized")
        scale, zero = raw[base + "_scale"], raw[base + "_zero_point"]
        node = consumer[name]
        if node.op_type == "Gather":  # embedding tables: quantized per row
            axis_shape = (-1, 1) if scale.ndim else ()
            out[base] = (value.astype(np.float32) - zero.reshape(axis_shape).astype(np.float32)) * scale.reshape(axis_shape)
            continue
        # MatMulInteger: [in, out] with a scale per output column; torch Linear keeps [out, in]
        dequant = (value.astype(np.float32) - zero.astype(np.float32)) * scale
        if base == "head.weight_Transposed":
            out["head.weight"] = dequant.T
        else:
            module = node.name.removeprefix("/").removesuffix("/MatMul_quant").replace("/", ".")
            out[f"{module}.weight"] = dequant.T
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--onnx", type=Path, default=SOURCE)
    args = parser.parse_args()
    onnx_model = onnx.load(str(args.onnx))
    layers = sum(1 for init in onnx_model.graph.initializer if init.name.endswith("attention.self.query.bias"))
    model = Judge(load_encoder(), layers=layers)
    state = model.state_dict()
    found = _weights(onnx_model)
    # the pooler is unused (the judge mean-pools), so it is not in the file; the base model's stays
    missing = [k for k in state if k not in found and not k.endswith("position_ids") and ".pooler." not in k]
    if missing:
        raise SystemExit(f"not in {args.onnx.name}: {missing}")
    for key in state:
        if key in found:
            state[key] = torch.from_numpy(np.ascontiguousarray(found[key])).reshape(state[key].shape)
    model.load_state_dict(state)
    torch.save({"state_dict": model.state_dict(), "layers": layers, "labels": LABELS}, args.out)
    print(f"rebuilt {layers}-layer judge from {args.onnx.name} into {args.out}")
    _check(model, args.onnx)


def _check(model: Judge, path: Path) -> None:
    import onnxruntime as ort

    from judge.train import tokenizer

    tok = tokenizer()
    pairs = [
        ("Caches hot reads in front of the store", "Redirects check Redis first, since reads outnumber writes 100 to 1."),
        ("Caches hot reads in front of the store", "We would not bother with a cache at this size."),
        ("Blameless postmortem focused on systems", "The root cause was a junior who pushed it without testing."),
        ("Shards the data by user id", "I'd split users across 16 Postgres shards by a hash of their id."),
    ]
    session = ort.InferenceSession(str(path))
    model.eval()
    for query, passage in pairs:
        enc = tok.encode(query, passage)
        ids = torch.tensor([enc.ids])
        feed = {"input_ids": np.array([enc.ids]), "attention_mask": np.ones((1, len(enc.ids)), dtype=np.int64), "token_type_ids": np.array([enc.type_ids])}
        with torch.no_grad():
            ours = torch.softmax(model(ids, torch.ones_like(ids), torch.tensor([enc.type_ids])), -1)[0].numpy()
        theirs = session.run(None, feed)[0][0]
        theirs = np.exp(theirs - theirs.max()) / np.exp(theirs - theirs.max()).sum()
        print(f"  {LABELS[ours.argmax()]:<9} vs onnx {LABELS[theirs.argmax()]:<9} gap {np.abs(ours - theirs).max():.3f}  {passage[:50]}")


if __name__ == "__main__":
    main()
