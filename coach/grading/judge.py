"""The judge: reads a key point (or a pitfall) and a passage of the candidate's together, and
says what the passage does with it.

A MiniLM-L6 cross-encoder fine-tuned by this project (training/judge/: script, data, and how
to rebuild it) and shipped as int8 ONNX. Where the embedder only says "these sound alike",
the judge reads both texts at once and tells a mechanism from a name, "we won't shard" from
"we shard", and a correct design from a known pitfall in the same words. Six outputs: the
passage makes the point (asserts), makes part of it, only names it (shallow), turns it down
or defers it (declined), asserts a wrong version of it (incorrect), or is about something
else (unrelated).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from coach.grading import onnx

LABELS = ("asserts", "partial", "shallow", "declined", "incorrect", "unrelated")
ASSERTS, PARTIAL, SHALLOW, DECLINED, INCORRECT, UNRELATED = range(len(LABELS))
MODEL_FILE = "judge-int8.onnx"
MODEL_ID = "coach judge E (MiniLM-L6 cross-encoder, int8 ONNX, 7-bit weights)"

Pair = tuple[str, str]


class Judge:
    """Class probabilities for (key point, passage) pairs; thread-safe, results cached."""

    def __init__(self, threads: int | None = None) -> None:
        self._tokenizer = onnx.tokenizer()
        self._session = onnx.session(MODEL_FILE, threads)
        self._cache: onnx.ResultCache[Pair] = onnx.ResultCache(self._run, len(LABELS))

    def probabilities(self, pairs: list[Pair]) -> np.ndarray:
        """Shape (len(pairs), 6): the probability of each label in LABELS."""
        return self._cache.get_many(pairs)

    def _run(self, pairs: list[Pair]) -> np.ndarray:
        """Softmax over the six labels, each pair run on its own (see coach.grading.onnx)."""
        out = np.empty((len(pairs), len(LABELS)), dtype=np.float32)
        for row, encoding in enumerate(self._tokenizer.encode_batch(pairs)):
            logits = self._session.run(None, onnx.feed(encoding))[0][0]
            exp = np.exp(logits - logits.max())
            out[row] = exp / exp.sum()
        return out


@lru_cache(maxsize=2)
def get_judge(threads: int | None = None) -> Judge:
    """The process-wide judge, loaded on first use."""
    return Judge(threads)
