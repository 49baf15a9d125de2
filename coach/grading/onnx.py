"""The two small models the offline grader runs, both MiniLM-L6 as int8 ONNX files in
`coach/grading/models/`: the sentence embedder and the judge. Nothing is downloaded.

This module owns what they share: the WordPiece tokenizer, an ONNX Runtime session, and a
bounded cache of results.

Each input runs on its own. The files are dynamically quantized, so a batch shares one
activation scale: a sentence's vector would shift (cosine ~0.987) with whatever else was in
its batch, and a grade would depend on what had been graded before. On two cores one input
at a time costs about what batches do, and needs no padding.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Generic, TypeVar

import numpy as np

MODELS = Path(__file__).resolve().parent / "models"
MAX_TOKENS = 128

K = TypeVar("K", bound=Hashable)


@lru_cache(maxsize=1)
def _tokenizer_file() -> str:
    return str(MODELS / "tokenizer.json")


def tokenizer():  # noqa: ANN201 - tokenizers has no type stubs
    """A fresh tokenizer (they are not safe to share across threads while configured)."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(_tokenizer_file())
    # The file pads every input to a fixed length; we pad per batch instead, which is faster
    # and keeps pad tokens out of mean pooling.
    tok.no_padding()
    tok.enable_truncation(MAX_TOKENS)
    return tok


def session(name: str, threads: int | None = None):  # noqa: ANN201
    import onnxruntime as ort

    path = MODELS / name
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: reinstall Coach (pip install -e .), or rebuild it as training/README.md says")
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads or min(4, os.cpu_count() or 1)
    options.log_severity_level = 3
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def feed(encoding) -> dict[str, np.ndarray]:  # noqa: ANN001 - a tokenizers.Encoding
    """One input: token ids, attention mask and segment ids, as a batch of one."""
    ids = np.array([encoding.ids], dtype=np.int64)
    return {"input_ids": ids, "attention_mask": np.ones_like(ids), "token_type_ids": np.array([encoding.type_ids], dtype=np.int64)}


class ResultCache(Generic[K]):
    """A thread-safe LRU of computed rows, so live re-grading only pays for what is new.

    `get_many` computes what is missing in one call, then answers from the rows it holds or
    has just computed: an eviction in between can never lose a row the caller asked for.
    """

    def __init__(self, compute: Callable[[list[K]], np.ndarray], width: int, limit: int = 50_000) -> None:
        self._compute = compute
        self._width = width
        self._limit = limit
        self._rows: OrderedDict[K, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def __contains__(self, key: K) -> bool:
        return key in self._rows

    def __len__(self) -> int:
        return len(self._rows)

    def clear(self) -> None:
        with self._lock:
            self._rows.clear()

    def put(self, keys: Sequence[K], rows: np.ndarray) -> None:
        with self._lock:
            for key, row in zip(keys, rows, strict=True):
                self._rows[key] = row
                self._rows.move_to_end(key)
            while len(self._rows) > self._limit:
                self._rows.popitem(last=False)

    def get_many(self, keys: Sequence[K]) -> np.ndarray:
        if not keys:
            return np.zeros((0, self._width), dtype=np.float32)
        with self._lock:
            found = {k: self._rows[k] for k in keys if k in self._rows}
            for k in found:
                self._rows.move_to_end(k)
        missing = list(dict.fromkeys(k for k in keys if k not in found))
        if missing:
            rows = self._compute(missing)
            found.update(zip(missing, rows, strict=True))
            self.put(missing, rows)
        return np.stack([found[k] for k in keys])
