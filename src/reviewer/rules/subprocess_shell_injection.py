"""RV103 subprocess-shell-injection: a shell command line built from runtime values."""

from __future__ import annotations

from typing import ClassVar

import libcst as cst

from reviewer.engine import Invalid, Rule, Valid
from reviewer.analysis.bindings import literal
from reviewer.model import Category, Confidence, Severity

#: Run their command through a shell only when called with `shell=True`.
SHELL_OPTIONAL = frozenset(
    {
        "subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.check_output",
        "subprocess.Popen",
    }
)
#: Always pass their command to a shell.
_SHELL_ALWAYS = frozenset(
    {
        "subprocess.getoutput", "subprocess.getstatusoutput", "os.system", "os.popen",
        "commands.getoutput", "commands.getstatusoutput", "asyncio.create_subprocess_shell",
    }
)
#: Calls whose result is quoted for the shell, so interpolating them is safe.
_QUOTING = frozenset({"shlex.quote", "shlex.join", "pipes.quote"})
#: Parameter name of the command, for calls that pass it by keyword.
_COMMAND_KEYWORDS = frozenset({"args", "cmd", "command"})


def _truthy_constant(node: cst.BaseExpression) -> bool:
    if isinstance(node, cst.Name):
        return node.value == "True"
    if isinstance(node, (cst.Integer, cst.Float)):
        return literal(node) not in (0, None)
    if isinstance(node, cst.SimpleString):
        return node.raw_value != ""
    return False


class SubprocessShellInjection(Rule):
    """Shell command built from runtime values.

    ## What it does
    Flags `subprocess.run/call/check_call/check_output/Popen` called with `shell=True` (or another
    truthy constant), and `subprocess.getoutput/getstatusoutput`, `os.system`, `os.popen`,
    `commands.getoutput` and `asyncio.create_subprocess_shell`, when the command is not a string
    literal: a variable, an f-string with placeholders, `+` with a non-literal, `%` or
    `.format()`. Placeholders wrapped in `shlex.quote()` / `shlex.join()` count as safe; aliased
    imports (`import subprocess as sp`, `from subprocess import run as r`) are resolved.

    ## Why is this bad?
    The shell interprets `;`, `|`, `$(...)` and quotes inside the interpolated value, so a file
    name or user input such as `x; rm -rf ~` runs extra commands (OS command injection). Pass a
    list of arguments without `shell=True`, or quote each value with `shlex.quote()`.
    """

    CODE = "RV103"
    NAME = "subprocess-shell-injection"
    CATEGORY = Category.SECURITY
    SEVERITY = Severity.ERROR
    CONFIDENCE = Confidence.HIGH
    CWE = (78,)
    MESSAGE = "Shell command built from a runtime value; pass an argument list without shell=True"
    EQUIVALENT = ("B602", "B605", "S602", "S605")
    SUPERSEDES = EQUIVALENT  # a constant command run by a shell is not an injection
    # Every way to reach these functions names one of these (`os.system`, `from os import popen`).
    TRIGGERS = ("subprocess", "system", "popen", "getoutput", "getstatusoutput")

    VALID: ClassVar[list[Valid]] = [
        Valid("import subprocess\n\nsubprocess.run(['git', 'log', ref], check=True)\n"),
        Valid("import subprocess\n\nsubprocess.run('ls -l | wc -l', shell=True)\n"),
        Valid("import os\n\nos.system('clear')\nos.system('make ' 'all')\n"),
        Valid("import subprocess\n\nsubprocess.run(cmd, shell=False)\n"),
        Valid(
            "import shlex\nimport subprocess\n\n"
            "subprocess.run(f'ls {shlex.quote(path)}', shell=True)\n"
        ),
        Valid("def system(cmd):\n    return cmd\n\nsystem(user_input)\n"),
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid("import subprocess\n\nsubprocess.run(f'ls {path}', shell=True)\n", line=3),
        Invalid(
            "import subprocess as sp\n\nout = sp.check_output('grep ' + pattern, shell=True)\n",
            line=3,
        ),
        Invalid("from subprocess import run as r\n\nr(command, shell=True, check=True)\n", line=3),
        Invalid("import os\n\nos.system('rm -rf %s' % folder)\n", line=3),
        Invalid("import os\n\nfor line in os.popen('cat {}'.format(name)):\n    pass\n", line=3),
        Invalid("import subprocess\n\nsubprocess.Popen(args=cmd, shell=1)\n", line=3),
        Invalid(
            "from subprocess import getoutput\n\nstatus = getoutput(f'ping -c1 {host}')\n", line=3
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        name = self.context.qualified_name(node.func)
        if name is None:
            return
        if name in SHELL_OPTIONAL:
            shell = next(
                (
                    arg.value
                    for arg in node.args
                    if arg.keyword is not None and arg.keyword.value == "shell"
                ),
                None,
            )
            if shell is None or not _truthy_constant(shell):
                return
        elif name not in _SHELL_ALWAYS:
            return
        command = _command(node)
        if command is None or self._is_safe(command):
            return
        self.report(
            node,
            f"`{name}()` runs a shell command built from a runtime value; "
            "pass an argument list without shell=True, or quote values with shlex.quote()",
        )

    def _is_safe(self, node: cst.BaseExpression) -> bool:
        """Literal strings, shlex-quoted values and `+`/f-string combinations of them."""
        if isinstance(node, cst.SimpleString):
            return True
        if isinstance(node, cst.ConcatenatedString):
            return self._is_safe(node.left) and self._is_safe(node.right)
        if isinstance(node, cst.FormattedString):
            return all(
                self._is_safe(part.expression)
                for part in node.parts
                if isinstance(part, cst.FormattedStringExpression)
            )
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
            return self._is_safe(node.left) and self._is_safe(node.right)
        if isinstance(node, (cst.List, cst.Tuple)):
            # With shell=True only the first item is a command line; the rest are $1, $2...
            first = node.elements[0].value if node.elements else None
            return first is None or self._is_safe(first)
        if isinstance(node, cst.Call):
            return self.context.qualified_name(node.func) in _QUOTING
        return False


def _command(node: cst.Call) -> cst.BaseExpression | None:
    """The first positional argument, or the command passed by keyword; None when unknowable."""
    for arg in node.args:
        if arg.star:
            return None  # `run(*argv, shell=True)`: the command is not visible here
        if arg.keyword is None:
            return arg.value
        if arg.keyword.value in _COMMAND_KEYWORDS:
            return arg.value
    return None
