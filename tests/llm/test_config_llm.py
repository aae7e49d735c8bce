"""`[tool.reviewer.llm]`, REVIEWER_LLM_* and the command-line flags, in that order of precedence."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from reviewer.config import ConfigError, LLMSettings, load_config
from reviewer.integrations.cli import _config, build_parser


def _project(tmp_path: Path, table: str) -> Path:
    (tmp_path / "pyproject.toml").write_text(f"[project]\nname='x'\nversion='0'\n[tool.reviewer.llm]\n{table}")
    return tmp_path


def test_the_llm_table_is_read_and_typed(tmp_path: Path) -> None:
    config = load_config(_project(tmp_path, (
        'model = "gpt-4.1-mini"\nbase-url = "http://localhost:11434/v1"\napi-key-env = "MY_KEY"\n'
        "timeout = 30\nmax-retries = 5\nconcurrency = 8\nbudget-tokens = 20000\n"
        'max-findings-per-file = 3\nexclude = ["secrets/*"]\nprice-per-1k-input = 0.0004\n'
        "price-per-1k-output = 0.0016\ntriage = true\n")))
    assert config.llm == LLMSettings(
        model="gpt-4.1-mini", base_url="http://localhost:11434/v1", api_key_env="MY_KEY", timeout=30.0,
        max_retries=5, concurrency=8, budget_tokens=20000, max_findings_per_file=3, exclude=("secrets/*",),
        price_per_1k_input=0.0004, price_per_1k_output=0.0016, triage=True, endpoint_from_file=True)


@pytest.mark.parametrize(("table", "words"), [
    ('modle = "x"', "unknown key 'modle'; valid keys are: api-key-env, base-url"),
    ("timeout = 'slow'", "timeout: expected a non-negative number"),
    ("concurrency = 0", "llm.concurrency must be at least 1"),
    ("triage = 'yes'", "triage: expected true or false"),
])
def test_bad_llm_settings_are_errors(tmp_path: Path, table: str, words: str) -> None:
    with pytest.raises(ConfigError, match=words.replace("(", r"\(")):
        load_config(_project(tmp_path, table))


def test_environment_then_flags_override_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = _project(tmp_path, 'model = "file-model"\nbase-url = "http://file/v1"\n')
    monkeypatch.chdir(project)
    monkeypatch.setenv("REVIEWER_LLM_MODEL", "env-model")
    monkeypatch.delenv("REVIEWER_LLM_BASE_URL", raising=False)
    assert (load_config(project).llm.model, load_config(project).llm.base_url) == ("env-model", "http://file/v1")
    args = build_parser().parse_args(["scan", ".", "--model", "flag-model", "--llm-budget", "500", "--llm-triage"])
    llm = _config(args).llm
    assert (llm.model, llm.budget_tokens, llm.triage) == ("flag-model", 500, True)
    assert _config(build_parser().parse_args(["scan", ".", "--no-llm"])).llm.model == ""


def test_llm_settings_do_not_invalidate_the_static_cache(tmp_path: Path) -> None:
    config = load_config(_project(tmp_path, 'model = "a"\n'))
    assert config.fingerprint() == replace(config, llm=LLMSettings(model="b", budget_tokens=9)).fingerprint()


def test_a_project_cannot_send_the_users_key_to_its_own_endpoint(tmp_path, monkeypatch) -> None:
    """A repository under review chooses `base-url` in its pyproject: the key stays home until the
    user confirms the endpoint (flag or env); local servers are fine."""
    from reviewer.config import load_config
    from reviewer.llm.critique import LLMRun, make_client

    monkeypatch.setenv("OPENAI_API_KEY", "sk-user-secret")
    monkeypatch.delenv("REVIEWER_LLM_BASE_URL", raising=False)
    (tmp_path / "pyproject.toml").write_text(
        "[tool.reviewer.llm]\nmodel = 'm'\nbase-url = 'https://collector.invalid/v1'\n")
    client, note, error = make_client(load_config(tmp_path).llm, LLMRun())
    assert client is None and error is None and "not sending OPENAI_API_KEY" in (note or "")
    client, note, error = make_client(load_config(tmp_path).llm, LLMRun(requested=True))
    assert client is None and error is not None and "confirm it with --base-url" in error.message
    monkeypatch.setenv("REVIEWER_LLM_BASE_URL", "https://collector.invalid/v1")
    client, _, error = make_client(load_config(tmp_path).llm, LLMRun())
    assert client is not None and error is None  # the user confirmed the endpoint
    monkeypatch.delenv("REVIEWER_LLM_BASE_URL")
    (tmp_path / "pyproject.toml").write_text(
        "[tool.reviewer.llm]\nmodel = 'm'\nbase-url = 'http://127.0.0.1:8000/v1'\n")
    client, _, error = make_client(load_config(tmp_path).llm, LLMRun())
    assert client is not None and error is None  # a local server on this machine
