import json
from pathlib import Path

import jsonschema
import pytest

from coach.protocol import ProtocolError, Say, json_schema, parse_client_frame

SCHEMA_FILE = Path(__file__).resolve().parents[1] / "docs" / "protocol.schema.json"


def test_committed_schema_matches_the_models():
    assert json.loads(SCHEMA_FILE.read_text()) == json_schema(), "run: coach protocol-schema > docs/protocol.schema.json"


def test_schema_validates_frames():
    validator = jsonschema.Draft202012Validator(json_schema())
    validator.check_schema(json_schema())
    assert validator.is_valid({"type": "say", "text": "hello"})
    assert validator.is_valid({"type": "interviewer.delta", "seq": 4, "turn": 3, "text": "Hel"})
    assert not validator.is_valid({"type": "say"})
    assert not validator.is_valid({"type": "resume", "session_id": "s", "token": "t", "last_seq": -1})


def test_parse():
    assert parse_client_frame('{"type": "say", "text": "hi"}') == Say(type="say", text="hi")


@pytest.mark.parametrize(
    ("raw", "code"),
    [("{", "invalid_json"), ("3", "invalid_frame"), ('{"type": 1}', "unknown_type"), ('{"type": "say", "text": null}', "invalid_frame"), (b"{}", "invalid_frame")],
)
def test_parse_errors(raw, code):
    with pytest.raises(ProtocolError) as info:
        parse_client_frame(raw)
    assert info.value.code == code and info.value.message
