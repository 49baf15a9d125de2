"""`coach serve` fails before "ready" with one line naming the setting and the fix, exit code 2."""

import os
import socket
import subprocess
import sys

import pytest

from coach.config import Settings
from coach.startup import describe_database_error, mask_url


def serve(tmp_path, **env):
    run_env = {k: v for k, v in os.environ.items() if not k.startswith("COACH_")}
    run_env |= {"COACH_DATA_DIR": str(tmp_path / "data"), "COACH_CACHE_DIR": str(tmp_path / "cache"), **env}
    done = subprocess.run([sys.executable, "-m", "coach", "serve", "--port", env.get("COACH_PORT", "0")], capture_output=True, text=True, env=run_env, cwd=tmp_path, timeout=60)
    lines = done.stderr.strip().splitlines()
    return done.returncode, lines


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({"COACH_SESSION_TOKEN_BUDGET": "lots"}, "COACH_SESSION_TOKEN_BUDGET='lots' is not valid"),
        ({"COACH_DATABASE_URL": "postgresql://coach:hunter22@127.0.0.1:1/coach"}, "cannot reach the database at postgresql+asyncpg://coach:***@127.0.0.1:1/coach"),
        ({"COACH_DATA_DIR": "/proc/no-such-folder"}, "make COACH_DATA_DIR a writable folder"),
    ],
)
def test_a_bad_setting_is_one_line_and_exit_code_2(tmp_path, env, says):
    code, lines = serve(tmp_path, **env)
    assert code == 2 and len(lines) == 1 and lines[0].startswith("coach: error: ") and says in lines[0], lines
    assert "hunter22" not in lines[0]


def test_a_port_in_use_is_reported_before_ready(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        code, lines = serve(tmp_path, COACH_PORT=str(taken.getsockname()[1]))
    assert code == 2 and len(lines) == 1 and "cannot listen on 127.0.0.1" in lines[0] and "COACH_PORT" in lines[0], lines


def test_postgres_urls_of_every_spelling_use_asyncpg():
    for url in ("postgresql://u@h/db", "postgres://u@h/db", "postgresql+asyncpg://u@h/db"):
        assert Settings(database_url=url).database_url == "postgresql+asyncpg://u@h/db"


def test_secrets_in_urls_are_masked():
    assert mask_url("http://user:s3cret@llm.local:8080/v1") == "http://user:***@llm.local:8080/v1"
    assert mask_url("http://llm.local/v1") == "http://llm.local/v1"
    settings = Settings(model="openai/m", api_base="http://user:s3cret@llm.local/v1")
    assert "s3cret" not in settings.describe_provider()


def test_database_errors_name_the_fix():
    pg = Settings(database_url="postgresql://coach:pw@db/coach")

    class InvalidPasswordError(Exception):
        pass

    assert "refused the user or password" in describe_database_error(InvalidPasswordError("password authentication failed for user"), pg)
    assert "does not exist" in describe_database_error(Exception('database "coach" does not exist'), pg)
    assert "boom ***" in describe_database_error(Exception("boom pw"), pg)
