"""RV135 shell-not-needed: a constant command without shell syntax run with `shell=True`."""

from __future__ import annotations

import re
from typing import ClassVar

import libcst as cst

from reviewer.engine import Autofix, Invalid, Rule, Valid
from reviewer.model import Applicability, Category, Confidence, Severity
from reviewer.rules.subprocess_shell_injection import SHELL_OPTIONAL

#: Text a shell would interpret: without a shell it would mean something else.
_SHELL_SYNTAX = re.compile(r"[|&;<>()$`\\\"'*?\[\]#~=%!{}\n]")
#: Commands that exist only inside a shell.
_SHELL_BUILTINS = frozenset({"cd", "export", "source", ".", "alias", "set", "unset", "ulimit", "exit", "type",
                             "command", "exec", "eval", "umask", "read", "wait", "shopt", "trap"})


class ShellNotNeeded(Rule):
    """A constant command with no shell syntax, run through a shell anyway.

    ## What it does
    Flags `subprocess.run/call/check_call/check_output/Popen` called with `shell=True` and a
    string literal command that uses nothing a shell interprets: no pipes, redirections,
    variables, globs, quotes or `~`, and no shell builtin such as `cd`
    (`subprocess.run("pip install -U pip", shell=True)`). A command built from values is RV103's
    (injection); one that needs the shell is left alone.

    ## Why is this bad?
    The shell adds nothing here but a second interpreter between the program and the command:
    the day someone appends a file name or a user's input to the string, it becomes an injection
    (RV103). Assistants add `shell=True` by habit. An argument list runs the same program
    directly.

    ## Fix safety
    `reviewer fix --unsafe-fixes` passes the command as a list (split on spaces, `["pip",
    "install", "-U", "pip"]`) and removes `shell=True`. Unsafe: the program is then looked up on
    PATH without a shell, and shell start-up files and aliases no longer apply.
    """

    CODE = "RV135"
    NAME = "shell-not-needed"
    CATEGORY = Category.SECURITY
    SEVERITY = Severity.NOTE
    CONFIDENCE = Confidence.HIGH
    CWE = (78,)
    MESSAGE = "`shell=True` is not needed to run a constant command; pass it as an argument list"
    EQUIVALENT = ("B602", "S602")
    TRIGGERS = ("shell=",)
    FIX = "unsafe"

    VALID: ClassVar[list[Valid]] = [
        Valid("import subprocess\n\nsubprocess.run(['pip', 'install', '-U', 'pip'], check=True)\n"),
        Valid("import subprocess\n\nsubprocess.run('ls -l | wc -l', shell=True)\n"),
        Valid("import subprocess\n\nsubprocess.run('cd build && make', shell=True)\n"),
        Valid("import subprocess\n\nsubprocess.run('echo $HOME', shell=True)\n"),
        Valid("import subprocess\n\nsubprocess.run(f'ls {path}', shell=True)\n"),  # RV103's
        Valid("import subprocess\n\nsubprocess.run('make all', shell=False)\n"),
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid("import subprocess\n\nsubprocess.run('pip install --upgrade pip', shell=True, check=True)\n", line=3,
                fixed="import subprocess\n\nsubprocess.run(['pip', 'install', '--upgrade', 'pip'], check=True)\n"),
        Invalid("import subprocess as sp\n\nout = sp.check_output(\"git rev-parse HEAD\", shell=True)\n", line=3,
                fixed="import subprocess as sp\n\nout = sp.check_output(['git', 'rev-parse', 'HEAD'])\n"),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        shell = next((a for a in node.args if a.keyword is not None and a.keyword.value == "shell"), None)
        if shell is None or not (isinstance(shell.value, cst.Name) and shell.value.value == "True"):
            return
        if self.context.qualified_name(node.func) not in SHELL_OPTIONAL:
            return
        command = next((a for a in node.args if a.keyword is None or a.keyword.value == "args"), None)
        if command is None or command.star or not isinstance(command.value, cst.SimpleString):
            return
        text = command.value.evaluated_value
        if not isinstance(text, str) or not text.strip() or _SHELL_SYNTAX.search(text):
            return
        words = text.split()
        if words[0] in _SHELL_BUILTINS:
            return
        listed = cst.List([cst.Element(cst.SimpleString(repr(word))) for word in words])
        args = [a.with_changes(value=listed) if a is command else a for a in node.args if a is not shell]
        if node.args[-1] is shell:
            args[-1] = args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        fixed = node.with_changes(args=args, lpar=(), rpar=())
        self.report(node, fix=Autofix("Pass the command as a list, without a shell", fixed, Applicability.UNSAFE))
