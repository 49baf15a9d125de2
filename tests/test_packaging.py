"""A wheel built from the project is complete: installed on its own (not editable, away from
the checkout) it lists the bank and grades an answer offline, with its prompts and models."""

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_wheel_carries_the_bank_prompts_and_models_and_runs(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(tmp_path / "dist"), str(ROOT)],
        check=True, capture_output=True, cwd=tmp_path,
    )  # fmt: skip
    (wheel,) = (tmp_path / "dist").glob("coach-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert sum(n.startswith("coach/seeds/questions/") for n in names) == len(list((ROOT / "seeds" / "questions").glob("*.yaml")))
    assert {f"coach/prompt_templates/{p.name}" for p in (ROOT / "prompts").glob("*.j2")} <= set(names)
    assert {"coach/grading/models/judge-int8.onnx", "coach/seeds/patterns.yaml"} <= set(names)
    assert any(n.endswith("/LICENSE") for n in names)
    versions = {f"coach/storage/alembic/versions/{p.name}" for p in (ROOT / "coach" / "storage" / "alembic" / "versions").glob("*.py")}
    assert versions and versions | {"coach/storage/alembic/env.py"} <= set(names)

    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)], check=True, capture_output=True)
    # The installed copy comes first on the path; the run starts outside the checkout.
    env = {**os.environ, "PYTHONPATH": str(target), "COACH_CACHE_DIR": str(tmp_path / "cache")}

    def coach(*args):
        return subprocess.run([sys.executable, "-m", "coach", *args], check=True, capture_output=True, text=True, env=env, cwd=tmp_path).stdout

    where = subprocess.run([sys.executable, "-c", "import coach; print(coach.__file__)"], capture_output=True, text=True, env=env, cwd=tmp_path).stdout
    assert where.startswith(str(target)), where
    listed = json.loads(coach("questions", "--json"))
    assert len(listed) == len(list((ROOT / "seeds" / "questions").glob("*.yaml")))
    answer = tmp_path / "answer.txt"
    answer.write_text((ROOT / "examples" / "rate-limiter-answer.txt").read_text())
    report = json.loads(coach("grade", "--question", "sd-rate-limiter", "--answer", str(answer), "--format", "json"))
    assert report["grader"]["kind"] == "offline" and any(k["status"] == "covered" for k in report["key_points"])
    # The installed copy migrates a database with its own Alembic scripts.
    migrated = subprocess.run(
        [sys.executable, "-c", f"import asyncio; from coach.storage import Store; s = Store('sqlite:///{tmp_path}/w.db'); print(asyncio.run(s.start())); asyncio.run(s.close())"],
        check=True, capture_output=True, text=True, env=env, cwd=tmp_path,
    ).stdout  # fmt: skip
    assert "0001_initial" in migrated
