"""The files an operator deploys with: .env.example, the Dockerfile and docker-compose.yml.
(No Docker engine runs in CI; these check what can be checked without one.)"""

import re

import yaml

from coach.config import Settings
from conftest import REPO


def test_env_example_lists_every_setting_with_its_default():
    text = (REPO / ".env.example").read_text()
    listed = dict(re.findall(r"^# (COACH_[A-Z_]+)=(.*)$", text, flags=re.M))
    assert set(listed) == {f"COACH_{name.upper()}" for name in Settings.model_fields}
    for name, field in Settings.model_fields.items():
        if isinstance(field.default, (int, float, str)) and not isinstance(field.default, bool):
            assert listed[f"COACH_{name.upper()}"] == str(field.default).removesuffix(".0"), name


def test_compose_takes_every_setting_from_the_env_file_and_holds_no_secret():
    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    coach, db = compose["services"]["coach"], compose["services"]["db"]
    assert coach["env_file"][0]["path"] == ".env"
    assert "${POSTGRES_PASSWORD:?" in coach["environment"]["COACH_DATABASE_URL"]
    assert db["environment"]["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD:?")
    assert coach["stop_grace_period"] and coach["depends_on"]["db"]["condition"] == "service_healthy"


def test_the_image_installs_the_wheel_runs_unprivileged_and_checks_readiness():
    lines = [line.strip() for line in (REPO / "Dockerfile").read_text().splitlines() if line.strip() and not line.startswith("#")]
    installs = [line for line in lines if "pip install" in line]
    assert installs and all(" -e " not in line for line in installs), "a regular install, not editable"
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert users and users[-1] not in ("root", "0")
    assert any(line.startswith("HEALTHCHECK") for line in lines) and "/readyz" in (REPO / "Dockerfile").read_text()
