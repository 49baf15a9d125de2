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


def test_the_scale_profile_puts_instances_behind_a_balancer_without_stickiness():
    import shutil
    import subprocess

    from coach.testing.cluster import HAPROXY_CFG

    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    scaled, balancer = compose["services"]["coach-scaled"], compose["services"]["balancer"]
    assert scaled["profiles"] == balancer["profiles"] == ["scale"] and scaled["deploy"]["replicas"] >= 2
    assert scaled["environment"]["COACH_REDIS_URL"].startswith("redis://") and scaled["depends_on"]["redis"]["condition"] == "service_healthy"
    assert "./deploy/haproxy.cfg:" in balancer["volumes"][0]
    cfg = (REPO / "deploy" / "haproxy.cfg").read_text()
    directives = "\n".join(line for line in cfg.splitlines() if not line.lstrip().startswith("#"))
    assert "balance roundrobin" in directives and "cookie" not in directives and "stick" not in directives
    # The Docker file and the Docker-free cluster balance the same way.
    for line in ("option redispatch", "timeout tunnel 35m", "option httpchk GET /readyz", "inter 1s fall 2 rise 1"):
        assert line in cfg and line in HAPROXY_CFG, line
    if shutil.which("haproxy"):
        checked = subprocess.run(["haproxy", "-c", "-f", str(REPO / "deploy" / "haproxy.cfg")], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stdout + checked.stderr
