from coach.config import Settings


def test_offline_by_default():
    s = Settings()
    assert s.offline and "offline" in s.describe_provider()


def test_env_configures_model_and_fallbacks(monkeypatch):
    monkeypatch.setenv("COACH_MODEL", "openai/gpt-4o-mini")
    monkeypatch.setenv("COACH_API_BASE", "http://127.0.0.1:8080/v1")
    monkeypatch.setenv("COACH_API_KEY", "sk-very-secret")
    monkeypatch.setenv("COACH_FALLBACK_MODELS", "anthropic/claude-sonnet-4-5, ollama/llama3.1")
    s = Settings()
    assert not s.offline
    assert s.fallback_models == ["anthropic/claude-sonnet-4-5", "ollama/llama3.1"]
    described = s.describe_provider()
    assert "openai/gpt-4o-mini" in described and "127.0.0.1:8080" in described
    assert "sk-very-secret" not in described and "sk-very-secret" not in repr(s)


def test_blank_model_means_offline(monkeypatch):
    monkeypatch.setenv("COACH_MODEL", "  ")
    assert Settings().offline


def test_dotenv_is_read(tmp_path, monkeypatch):
    (tmp_path / ".env").write_text("COACH_MODEL=ollama/llama3.1\n")
    monkeypatch.chdir(tmp_path)
    assert Settings().model == "ollama/llama3.1"
