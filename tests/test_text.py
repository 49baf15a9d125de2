from coach.grading.text import candidate_spans, candidate_text, quote_in, sentences


def test_sentences_keep_offsets():
    text = "First we estimate. Then, 40 writes/s at p99 3.5 ms!\n- cache hot links\n2) shard by id"
    spans = sentences(text)
    assert [s.text for s in spans] == ["First we estimate.", "Then, 40 writes/s at p99 3.5 ms!", "cache hot links", "shard by id"]
    assert all(text[s.start : s.end] == s.text for s in spans)


def test_transcript_keeps_only_candidate_turns():
    text = (
        "Interviewer: Shard the database by user id, right?\n"
        "Candidate: I'd start with a cache.\n"
        "Interviewer [00:02:00]: OK.\n"
        "You [00:02:10]: Then replicas."
    )
    assert [s.text for s in candidate_spans(text)] == ["I'd start with a cache.\n", "Then replicas."]
    assert [s.text for s in sentences(text)] == ["I'd start with a cache.", "Then replicas."]
    assert not quote_in("Shard the database by user id", candidate_text(text))


def test_plain_answer_is_all_candidate():
    assert candidate_text("No labels here.") == "No labels here."


def test_quote_in_is_verbatim_up_to_typography():
    source = "We’d  shard by\nuser id — always."
    assert quote_in("we'd shard by user id - always", source)
    assert quote_in('"We’d shard by user id"', source)
    assert not quote_in("we would shard by user id", source)  # paraphrase is not a quote
    assert not quote_in("shard by", source)  # too short to be evidence


def test_long_sentences_split_at_semicolons():
    long = "; ".join(["we add a cache in front of the database for reads"] * 6) + "."
    assert len(sentences(long)) == 6
