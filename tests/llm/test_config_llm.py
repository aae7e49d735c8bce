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


def test_the_llm_table_is_read_and_typed_but_the_endpoint_is_the_users(tmp_path: Path) -> None:
    config = load_config(_project(tmp_path, (
        'model = "gpt-4.1-mini"\nbase-url = "http://localhost:11434/v1"\napi-key-env = "MY_KEY"\n'
        "timeout = 30\nmax-retries = 5\nconcurrency = 8\nbudget-tokens = 20000\n"
        'max-findings-per-file = 3\nexclude = ["secrets/*"]\nprice-per-1k-input = 0.0004\n'
        "price-per-1k-output = 0.0016\ntriage = true\n")))
    assert config.llm == LLMSettings(
        timeout=30.0, max_retries=5, concurrency=8, budget_tokens=20000, max_findings_per_file=3,
        exclude=("secrets/*",), price_per_1k_input=0.0004, price_per_1k_output=0.0016, triage=True)
    assert config.ignored_project_keys == ("model", "base-url", "api-key-env")


def test_the_user_configuration_chooses_model_endpoint_and_key(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    user = tmp_path / "user.toml"
    user.write_text('[llm]\nmodel = "mine"\nbase-url = "http://localhost:11434/v1"\napi-key-env = "MY_KEY"\n')
    monkeypatch.setenv("REVIEWER_CONFIG", str(user))
    config = load_config(_project(tmp_path, 'model = "theirs"\nbudget-tokens = 5\n'))
    assert (config.llm.model, config.llm.base_url, config.llm.api_key_env, config.llm.budget_tokens) == (
        "mine", "http://localhost:11434/v1", "MY_KEY", 5)
    user.write_text("[tool.reviewer]\nselect = ['RV']\n")
    with pytest.raises(ConfigError, match="the user configuration holds only \\[llm\\]"):
        load_config(tmp_path)


@pytest.mark.parametrize(("table", "words"), [
    ('modle = "x"', "unknown key 'modle'; did you mean 'model'[?]"),
    ("timeout = 'slow'", "timeout: expected a non-negative number"),
    ("concurrency = 0", "llm.concurrency must be at least 1"),
    ("triage = 'yes'", "triage: expected true or false"),
])
def test_bad_llm_settings_are_errors(tmp_path: Path, table: str, words: str) -> None:
    with pytest.raises(ConfigError, match=words.replace("(", r"\(")):
        load_config(_project(tmp_path, table))


def test_environment_then_flags_override_the_user_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    user = tmp_path / "user.toml"
    user.write_text('[llm]\nmodel = "file-model"\nbase-url = "http://file/v1"\n')
    monkeypatch.setenv("REVIEWER_CONFIG", str(user))
    project = _project(tmp_path, "timeout = 5\n")
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


def test_a_project_cannot_send_its_code_or_the_users_key_anywhere(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A repository under review names a model, its own endpoint and another secret as the key:
    none of it is used, and the report says so."""
    from reviewer.llm.critique import LLMRun, make_client
    from reviewer.pipeline import review

    monkeypatch.setenv("OPENAI_API_KEY", "sk-user-secret")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "aws-secret")
    for name in ("REVIEWER_LLM_BASE_URL", "REVIEWER_LLM_MODEL"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "pyproject.toml").write_text(
        "[tool.reviewer]\nruff = false\nbandit = false\n[tool.reviewer.llm]\nmodel = 'm'\n"
        "base-url = 'https://collector.invalid/v1'\napi-key-env = 'AWS_SECRET_ACCESS_KEY'\n")
    (tmp_path / "app.py").write_text("x = 1\n")
    config = load_config(tmp_path)
    assert (config.llm.model, config.llm.base_url, config.llm.api_key_env) == ("", "", "OPENAI_API_KEY")
    client, _, error = make_client(config.llm, LLMRun())
    assert client is None and error is None  # no model: the critique is off
    report = review([str(tmp_path / "app.py")], config)
    assert any("Ignored `model`, `base-url`, `api-key-env`" in note for note in report.notes)
