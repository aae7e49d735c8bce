"""Security rules RV101-RV105: cases beyond the examples each rule carries."""

from __future__ import annotations

import pytest

from reviewer.config import Config
from reviewer.engine import Rule, analyze
from reviewer.fixes import apply_edits
from reviewer.model import Applicability, Category, Finding, Severity
from reviewer.rules.eval_on_dynamic_input import EvalOnDynamicInput
from reviewer.rules.hardcoded_secret import HardcodedSecret, is_placeholder
from reviewer.rules.http_request_without_timeout import HttpRequestWithoutTimeout
from reviewer.rules.subprocess_shell_injection import SubprocessShellInjection
from reviewer.rules.yaml_unsafe_load import YamlUnsafeLoad
from reviewer.sources import load_text

# Assembled with `+` so this file holds no literal that looks like a real credential.
OPENAI_KEY = "sk-" + "proj-" + "Q8w2E4r6T8y0U2i4O6p8A0s2"
GITHUB_TOKEN = "ghp" + "_" + "Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0Pp9Oo8"
PASSWORD = "N0t" + "Guessable42"


def run(rule: type[Rule], code: str) -> list[Finding]:
    findings, errors = analyze(load_text(code, "x.py"), Config(), rules=[rule])
    assert errors == []
    return [f for f in findings if f.code == rule.CODE]


def fixed(rule: type[Rule], code: str) -> str:
    edits = [e for f in run(rule, code) if f.fix for e in f.fix.edits]
    assert edits, "expected an autofix edit"
    return apply_edits(code, edits)


@pytest.mark.parametrize(
    "rule",
    [HardcodedSecret, YamlUnsafeLoad, SubprocessShellInjection, EvalOnDynamicInput,
     HttpRequestWithoutTimeout],
)
def test_security_metadata(rule: type[Rule]) -> None:
    assert rule.CATEGORY is Category.SECURITY
    assert rule.CWE and rule.EQUIVALENT and rule.TRIGGERS


# --- RV101 hardcoded-secret ----------------------------------------------------------------------


def test_secret_is_never_echoed_in_full() -> None:
    found = run(HardcodedSecret, f'client = OpenAI(api_key="{OPENAI_KEY}")\n')
    assert len(found) == 1  # the name check defers to the format check: one finding, not two
    message = found[0].message
    assert "OpenAI API key" in message
    assert OPENAI_KEY not in message and OPENAI_KEY[4:12] not in message
    assert f"`{OPENAI_KEY[:4]}...`" in message
    assert found[0].severity is Severity.ERROR and found[0].cwe == (798,)


def test_password_value_never_appears_in_message() -> None:
    found = run(HardcodedSecret, f'DB_PASSWORD = "{PASSWORD}"\n')
    assert len(found) == 1
    assert "DB_PASSWORD" in found[0].message
    assert PASSWORD[:3] not in found[0].message


def test_connection_url_password_not_echoed() -> None:
    url = "postgresql://app:" + PASSWORD + "@db:5432/prod"
    found = run(HardcodedSecret, f'engine = create_engine("{url}")\n')
    assert len(found) == 1 and "connection URL" in found[0].message
    assert PASSWORD not in found[0].message


def test_implicit_concatenation_is_checked_once_as_a_whole() -> None:
    half = len(GITHUB_TOKEN) // 2
    code = f'TOKEN = (\n    "{GITHUB_TOKEN[:half]}"\n    "{GITHUB_TOKEN[half:]}"\n)\n'
    found = run(HardcodedSecret, code)
    assert [f.location.line for f in found] == [2]
    assert "GitHub token" in found[0].message


@pytest.mark.parametrize(
    "code",
    [
        'api_key = "your-api-key-here"\n',
        'OPENAI_API_KEY = "sk-...your key..."\n',
        'password = "********"\n',
        'token = "${GITHUB_TOKEN}"\n',
        'url = "mysql://{user}:{password}@{host}/db"\n',
        'url = "mysql://root:%(pw)s@localhost/db"\n',
        'api_key = os.environ.get("API_KEY", "")\n',
        'secret = "the quick brown fox 123"\n',  # spaces: prose, not a key
        'password_field = "password1"\nauth_token_url = "https://x.io/oauth2"\n',
        'headers = {"Authorization": f"Bearer {token}"}\n',
        'api_key = f"{prefix}-a1b2c3d4e5f6"\n',
    ],
)
def test_secret_placeholders_and_lookups_are_clean(code: str) -> None:
    assert run(HardcodedSecret, code) == []


@pytest.mark.parametrize(
    "code",
    [
        'headers = {"Authorization": "Bearer a8f3k2j9x7q1w5e3"}\n',
        'requests.get(url, auth=("bot", "x"), headers={"X-Api-Key": "a8f3k2j9x7q1w5e3"})\n',
        'settings: dict = {}\nsettings["clientSecret"] = "Zq81mXv02LpK"\n',
        'SECRET_KEY: str = "django-insecure-9x7q1w5e3k2j"\n',
    ],
)
def test_secret_name_variants_are_flagged(code: str) -> None:
    assert len(run(HardcodedSecret, code)) == 1


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", True), ("changeme", True), ("<your-token>", True), ("xxxxxxxx", True),
        ("{password}", True), ("${DB_PASS}", True), ("TODO", True),
        ("AKIA" + "IOSFODNN7EXAMPLE", True), ("password123", True), ("Paste-Token-Here-99", True),
        ("a8f3k2j9x7q1", False), (PASSWORD, False),
    ],
)
def test_is_placeholder(value: str, expected: bool) -> None:
    assert is_placeholder(value) is expected


# --- RV102 yaml-unsafe-load ----------------------------------------------------------------------


def test_yaml_fix_keeps_alias_and_is_unsafe() -> None:
    code = "import yaml as y\n\ncfg = y.load(open(path))\n"
    assert fixed(YamlUnsafeLoad, code) == "import yaml as y\n\ncfg = y.safe_load(open(path))\n"
    (finding,) = run(YamlUnsafeLoad, code)
    # Documents with Python tags load differently: applied only with --unsafe-fixes.
    assert finding.fix is not None and finding.fix.applicability is Applicability.UNSAFE


def test_yaml_fix_inside_parentheses_and_with_stream_keyword() -> None:
    code = "import yaml\n\na = (yaml.load(s))\nb = yaml.load(stream=s)\n"
    assert fixed(YamlUnsafeLoad, code) == (
        "import yaml\n\na = (yaml.safe_load(s))\nb = yaml.safe_load(stream=s)\n"
    )


@pytest.mark.parametrize(
    "code",
    [
        "from yaml import load\n\ndata = load(s)\n",  # would need a new import
        "import yaml\n\ndata = yaml.load(s, Loader=yaml.UnsafeLoader)\n",  # may rely on tags
    ],
)
def test_yaml_advice_only_when_fix_is_not_mechanical(code: str) -> None:
    (finding,) = run(YamlUnsafeLoad, code)
    assert finding.fix is not None
    assert finding.fix.edits == () and finding.fix.applicability is Applicability.DISPLAY


def test_yaml_local_safe_loader_declared_after_use() -> None:
    code = (
        "import yaml\n\ndef read(s):\n    return yaml.load(s, Loader=Strict)\n\n"
        "class Base(yaml.CSafeLoader):\n    pass\n\nclass Strict(Base):\n    pass\n"
    )
    assert run(YamlUnsafeLoad, code) == []


def test_yaml_unknown_loader_and_full_load_messages() -> None:
    code = "import yaml\n\na = yaml.load(s, Loader=pick())\nb = yaml.full_load(s)\n"
    messages = {f.location.line: f.message for f in run(YamlUnsafeLoad, code)}
    assert "not known to be safe" in messages[3]
    assert "FullLoader" in messages[4] and "5.4" in messages[4]


def test_yaml_star_args_not_guessed() -> None:
    assert run(YamlUnsafeLoad, "import yaml\n\nyaml.load(*args, **kwargs)\n") == []


def test_ruamel_is_not_pyyaml() -> None:
    assert run(YamlUnsafeLoad, "from ruamel import yaml\n\ndata = yaml.safe_load(s)\n") == []


# --- RV103 subprocess-shell-injection ------------------------------------------------------------


@pytest.mark.parametrize(
    "code",
    [
        "import subprocess as sp\n\nsp.call(cmd, shell=True)\n",
        "from subprocess import run as r\n\nr(f'echo {msg}', shell=True)\n",
        "from os import system as sh\n\nsh('rm ' + path)\n",
        "import subprocess\n\nsubprocess.run(f'cp {shlex.quote(a)} {b}', shell=True)\n",
        "import subprocess\n\nsubprocess.check_call('tar xf {}'.format(f), shell=True)\n",
        "import subprocess\n\nsubprocess.run(cmd, shell='yes')\n",
    ],
)
def test_shell_injection_flagged(code: str) -> None:
    (finding,) = run(SubprocessShellInjection, code)
    assert finding.location.line == 3


@pytest.mark.parametrize(
    "code",
    [
        "import subprocess\n\nsubprocess.run(cmd, shell=False)\n",
        "import subprocess\n\nsubprocess.run(cmd, shell=use_shell)\n",  # not a constant
        "import subprocess\n\nsubprocess.run(cmd)\n",
        "import subprocess\n\nsubprocess.run(f'ls {shlex.join(files)}', shell=True)\n",
        "import subprocess\n\nsubprocess.run('ls ' + '-la', shell=True)\n",
        "import subprocess\n\nsubprocess.run(*argv, shell=True)\n",
        "import os\n\nos.path.join(a, b)\nsystem(cmd)\n",  # not os.system
    ],
)
def test_shell_clean(code: str) -> None:
    assert run(SubprocessShellInjection, code) == []


# --- RV104 eval-on-dynamic-input -----------------------------------------------------------------


@pytest.mark.parametrize(
    "code",
    [
        "eval = safe_eval\n\neval(user_input)\n",  # rebound at module level
        "class M:\n    def eval(self):\n        return self\n\nM().eval()\n",
        "exec('print(1)' 'print(2)')\n",
        "import ast\n\nast.literal_eval(node)\n",
    ],
)
def test_eval_clean(code: str) -> None:
    assert run(EvalOnDynamicInput, code) == []


def test_eval_messages_name_the_builtin() -> None:
    code = "eval(x)\nexec(y)\ncompile(z, 'f', 'exec')\n"
    messages = [f.message for f in run(EvalOnDynamicInput, code)]
    assert [m.split("(")[0] for m in messages] == ["`eval", "`exec", "`compile"]


# --- RV105 http-request-without-timeout ----------------------------------------------------------


def test_timeout_none_is_explained() -> None:
    code = "import requests\n\nrequests.get(u, timeout=None)\n"
    (finding,) = run(HttpRequestWithoutTimeout, code)
    assert "None disables the timeout" in finding.message
    assert finding.severity is Severity.WARNING


def test_session_names_are_scoped_to_their_function() -> None:
    code = (
        "import requests\n\ndef a():\n    s = requests.Session()\n    return s.get(u)\n\n"
        "def b(s):\n    return s.get('key')\n"
    )
    assert [f.location.line for f in run(HttpRequestWithoutTimeout, code)] == [5]


def test_module_session_used_before_it_is_bound() -> None:
    code = "import requests\n\ndef fetch():\n    return http.get(u)\n\nhttp = requests.Session()\n"
    assert [f.location.line for f in run(HttpRequestWithoutTimeout, code)] == [4]


@pytest.mark.parametrize(
    "code",
    [
        "import urllib.request as ur\n\nur.urlopen(u, None, 10)\n",
        "import socket\n\nsocket.create_connection(addr, 3.0)\n",
        "import smtplib\n\nsmtplib.SMTP('h', 25, None, 30)\n",
        "import http.client\n\nhttp.client.HTTPConnection('h', 80, 5)\n",
        "import requests\n\nrequests.get(u, **kw)\n",
        "import httpx\n\nhttpx.Client().get(u)\n",
        "import aiohttp\n\nsession.get(u)\n",  # not a requests.Session
    ],
)
def test_timeout_clean(code: str) -> None:
    assert run(HttpRequestWithoutTimeout, code) == []


@pytest.mark.parametrize(
    "code",
    [
        "from socket import create_connection\n\ncreate_connection(addr)\n",
        "import ftplib as f\n\nf.FTP_TLS('h')\n",
        "import requests\n\nrequests.Session().post(u, data=d)\n",
        "import urllib.request\n\nurllib.request.urlopen(u, timeout=None)\n",
    ],
)
def test_timeout_flagged(code: str) -> None:
    (finding,) = run(HttpRequestWithoutTimeout, code)
    assert finding.location.line == 3


@pytest.mark.parametrize(
    ("token", "kind"),
    [
        ("hf_" + "AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEfGh", "Hugging Face token"),
        ("AIza" + "SyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q", "Google API key"),
        ("xoxb-" + "123456789012-1234567890123-AbCdEfGhIjKlMnOp", "Slack token"),
        ("sk-ant-" + "api03-Ab1Cd2Ef3Gh4Ij5Kl6Mn7", "Anthropic API key"),
    ],
)
def test_token_formats(token: str, kind: str) -> None:
    (finding,) = run(HardcodedSecret, f'HF = load(token="{token}")\n')
    assert kind in finding.message and token[4:8] not in finding.message


@pytest.mark.parametrize(
    "code",
    [
        'HF = "hf_' + 'abcdefghijklmnopqrstuvwxyzabcdefgh"\n',  # one case only: not a token
        'slack = "xoxb-' + 'your-bot-token-here"\n',
        'lookup = "disk-' + 'a1b2c3d4e5f6g7h8i9j0k1l2"\n',
    ],
)
def test_token_look_alikes_are_clean(code: str) -> None:
    assert run(HardcodedSecret, code) == []
