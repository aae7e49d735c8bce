"""RV202 swallowed-exception: a catch-all handler that hides the error without a trace."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

import libcst as cst

from reviewer.analysis.tests_detection import is_test_path
from reviewer.engine import Autofix, Invalid, Rule, Valid
from reviewer.engine.imports import dotted_name
from reviewer.engine.walker import iter_nodes
from reviewer.model import Applicability, Category, Confidence, Severity

if TYPE_CHECKING:
    from reviewer.engine.context import RuleContext

_BROAD = frozenset({"builtins.Exception", "builtins.BaseException"})
_LOG_METHODS = frozenset(
    {"exception", "error", "warning", "warn", "critical", "info", "debug", "log"}
)
#: Receivers of `.error(...)` and friends that are loggers by convention.
_LOGGER_NAMES = frozenset({"logger", "log", "_logger", "_log", "logging"})
#: Calls that report the error, hand it on or end the program: the error is not silent.
_REPORTING_CALLS = frozenset(
    {"warnings.warn", "sys.exit", "os._exit", "builtins.exit", "sys.exc_info", "sys.exception",
     "sys.excepthook"}
)


#: Calls that release a resource: failing to do so at shutdown is not worth an error.
_CLEANUP = frozenset({"close", "aclose", "shutdown", "terminate", "kill", "cleanup", "release",
                      "disconnect", "unlink", "remove", "rmtree", "stop", "join", "flush"})


@dataclass
class _Handler:
    node: cst.ExceptHandler
    bound: cst.Name | None  #: the `e` of `except Exception as e`
    handled: bool = False


class SwallowedException(Rule):
    """Broad exception handler that silently discards the error.

    ## What it does
    Flags `except:`, `except Exception:` and `except BaseException:` (also inside a tuple) whose
    body neither re-raises (`raise` anywhere in the handler), nor logs (a `logging` call, a
    `.exception/.error/.warning/.critical/.info/.debug/.log` call on a `logger`/`log`/`LOGGER`
    name or attribute, `warnings.warn`, any `traceback` call, `sys.exit`, a write to
    `sys.stderr`), nor hands the error on (`sys.exc_info()`, `sys.excepthook`), nor uses the bound
    exception (`except Exception as e: return str(e)` is fine). Handlers of specific exceptions
    (`except KeyError: pass`) are not flagged, nor handlers that must swallow: inside `__del__`
    (a finalizer may not raise), around nothing but best-effort cleanup (`conn.close()`,
    `tmp.unlink()`), or, in tests, around an exception the test raises on purpose. Nor a
    one-statement `try` that returns or assigns a value, whose `except Exception:` handler only
    returns or assigns the same name a constant other than `None` (`try: return x.fileno()` /
    `except Exception: return -1`, `return False` from a capability probe): only that
    expression can fail, and the default is chosen, not a hidden `None`.

    ## Why is this bad?
    A catch-all `pass` (or `continue`, or a default return value) turns every bug - a typo, a
    wrong argument, a failed network call, even KeyboardInterrupt with a bare `except:` - into
    silently wrong results. AI-generated code adds such handlers to "make it not crash".

    ## Fix safety
    A bare `except:` becomes `except Exception:` with `reviewer fix --unsafe-fixes`, so Ctrl+C
    and `sys.exit()` get through again; unsafe because code that meant to catch those changes.
    The handler still swallows the error: what to log or re-raise is left to you.
    """

    CODE = "RV202"
    NAME = "swallowed-exception"
    CATEGORY = Category.CORRECTNESS
    SEVERITY = Severity.WARNING
    CONFIDENCE = Confidence.HIGH
    CWE = (390,)
    MESSAGE = (
        "Broad exception handler swallows the error silently; catch the specific exception, "
        "log it or re-raise"
    )
    TRIGGERS = ("except",)
    FIX = "unsafe"
    EQUIVALENT = ("B110", "S110", "E722", "BLE001", "S112", "B112")

    VALID: ClassVar[list[Valid]] = [
        Valid("class Client:\n    def __del__(self):\n        try:\n            self.close()\n"
              "        except Exception:\n            pass\n"),
        Valid("def shutdown(conn):\n    try:\n        conn.close()\n    except Exception:\n        pass\n"),
        Valid("def safe_str(value):\n    try:\n        return str(value)\n    except Exception:\n"
              "        return '<unprintable>'\n"),
        Valid("try:\n    value = cache[key]\nexcept KeyError:\n    pass\n"),
        Valid(
            "import logging\nlogger = logging.getLogger(__name__)\n\n"
            "def load(path):\n    try:\n        return parse(path)\n"
            "    except Exception:\n        logger.exception('cannot parse %s', path)\n"
            "        return None\n"
        ),
        Valid("try:\n    run()\nexcept Exception as exc:\n    errors.append(str(exc))\n"),
        Valid("try:\n    run()\nexcept BaseException:\n    cleanup()\n    raise\n"),
        Valid(
            "import traceback\ntry:\n    run()\nexcept:\n    traceback.print_exc()\n"
        ),
        Valid(
            "class Job:\n    def run(self):\n        try:\n            self.step()\n"
            "        except Exception:\n            self.log.warning('step failed')\n"
        ),
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid("try:\n    import_data()\nexcept:\n    pass\n", line=3,
                fixed="try:\n    import_data()\nexcept Exception:\n    pass\n"),
        Invalid(
            "def fetch(url):\n    try:\n        return requests.get(url).json()\n"
            "    except Exception:\n        return None\n",
            line=4,
        ),
        Invalid(
            "def total(rows):\n    try:\n        values = [float(r) for r in rows]\n        return sum(values)\n"
            "    except Exception:\n        return 0\n",
            line=5,
        ),
        Invalid(
            "for row in rows:\n    try:\n        process(row)\n"
            "    except (ValueError, Exception):\n        continue\n",
            line=4,
        ),
        Invalid(
            "try:\n    save(model)\nexcept Exception as e:  # ignore errors\n    ...\n", line=3
        ),
        Invalid(
            "try:\n    connect()\nexcept KeyError:\n    raise\n"
            "except BaseException:\n    status = 'failed'\n",
            line=5,
        ),
    ]

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        #: Open broad handlers, outermost first (handlers nest inside handler bodies).
        self._open: list[_Handler] = []
        self._test_file = is_test_path(context.unit.path)

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        if not self._is_broad(node.type):
            return
        alias = node.name.name if node.name is not None else None
        self._open.append(_Handler(node, alias if isinstance(alias, cst.Name) else None))

    def leave_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        if self._open and self._open[-1].node is node:
            handler = self._open.pop()
            if not handler.handled and not self._deliberate(node):
                caught = "" if node.type is None else " " + self.context.code_for(node.type).strip()
                fix = None
                if node.type is None:  # `except` is 6 characters: ` Exception` goes right after it
                    line, column = self.context.span(node)[:2]
                    fix = Autofix("Catch `Exception`, not everything", applicability=Applicability.UNSAFE,
                                  inserts=((line, column + 6, " Exception"),))
                self.report(
                    node,
                    f"`except{caught}:` swallows the error silently; catch the specific exception, "
                    "log it or re-raise",
                    fix=fix,
                )

    def _deliberate(self, node: cst.ExceptHandler) -> bool:
        """Handlers that must swallow: in a finalizer (`__del__` may not raise), around
        best-effort cleanup (`conn.close()` at shutdown), or around an exception a test raises
        on purpose."""
        function = self.context.enclosing(cst.FunctionDef)
        if isinstance(function, cst.FunctionDef) and function.name.value == "__del__":
            return True
        block = self.context.enclosing(cst.Try)
        if not isinstance(block, cst.Try):
            return False
        body = block.body.body
        if all(self._is_cleanup(statement) for statement in body):
            return True
        if self._catches_exception_only(node) and _defaulted_value(body, node.body.body):
            return True
        return self._test_file and any(isinstance(n, cst.Raise) for n in iter_nodes(block.body))

    @staticmethod
    def _is_cleanup(statement: cst.BaseStatement) -> bool:
        if not isinstance(statement, cst.SimpleStatementLine):
            return False
        for small in statement.body:
            value = small.value if isinstance(small, cst.Expr) else None
            if isinstance(value, cst.Await):
                value = value.expression
            if not (isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute)
                    and value.func.attr.value in _CLEANUP):
                return False
        return True

    def visit_Raise(self, node: cst.Raise) -> None:
        for handler in self._open:
            handler.handled = True

    def visit_Call(self, node: cst.Call) -> None:
        if self._open and (self._is_reporting(node.func) or self._writes_stderr(node)):
            for handler in self._open:
                handler.handled = True

    def visit_Name(self, node: cst.Name) -> None:
        for handler in self._open:
            bound = handler.bound
            # The `e` of `as e` is itself a Name visited by the walk: only later uses count.
            if bound is not None and node is not bound and node.value == bound.value:
                handler.handled = True

    def _catches_exception_only(self, node: cst.ExceptHandler) -> bool:
        """`except Exception:`; not a bare `except:` or BaseException, which also swallow
        KeyboardInterrupt and SystemExit."""
        return node.type is not None and self.context.qualified_name(node.type) == "builtins.Exception"

    def _is_broad(self, type_: cst.BaseExpression | None) -> bool:
        if type_ is None:
            return True
        if isinstance(type_, cst.Tuple):
            return any(self._is_broad(element.value) for element in type_.elements)
        return self.context.qualified_name(type_) in _BROAD

    def _writes_stderr(self, node: cst.Call) -> bool:
        """`sys.stderr.write(...)` or `print(..., file=sys.stderr)`: the user sees the error."""
        func = node.func
        qualified = self.context.qualified_name
        if isinstance(func, cst.Attribute) and qualified(func.value) == "sys.stderr":
            return True
        return any(
            arg.keyword is not None
            and arg.keyword.value == "file"
            and qualified(arg.value) == "sys.stderr"
            for arg in node.args
        )

    def _is_reporting(self, func: cst.BaseExpression) -> bool:
        qualified = self.context.qualified_name(func) or ""
        if qualified in _REPORTING_CALLS or qualified.startswith(("logging.", "traceback.")):
            return True
        if not isinstance(func, cst.Attribute) or func.attr.value not in _LOG_METHODS:
            return False
        receiver = func.value
        if isinstance(receiver, cst.Call):  # logging.getLogger(__name__).error(...)
            return (self.context.qualified_name(receiver.func) or "").startswith("logging.")
        name = dotted_name(receiver)
        if name is None:
            return False
        last = name.split(".")[-1].lower()
        return last in _LOGGER_NAMES or last.endswith("logger")


def _only_small(body: Sequence[cst.BaseStatement]) -> cst.BaseSmallStatement | None:
    """The one simple statement of a block of one, else None."""
    if len(body) == 1 and isinstance(body[0], cst.SimpleStatementLine) and len(body[0].body) == 1:
        return body[0].body[0]
    return None


def _defaulted_value(body: Sequence[cst.BaseStatement], handler: Sequence[cst.BaseStatement]) -> bool:
    """`try: return f(x)` / `except Exception: return False`, or `try: n = f()` / `except
    Exception: n = 1`: one statement that produces a value, and a handler that only gives the
    same return or name a constant other than None, a deliberate typed default."""
    tried, fallback = _only_small(body), _only_small(handler)
    if isinstance(tried, cst.Return) and isinstance(fallback, cst.Return):
        return _is_constant(fallback.value)
    if isinstance(tried, cst.Assign) and isinstance(fallback, cst.Assign):
        targets = [t.target for t in tried.targets]
        same = len(targets) == 1 == len(fallback.targets) and isinstance(targets[0], cst.Name) \
            and isinstance(fallback.targets[0].target, cst.Name) \
            and targets[0].value == fallback.targets[0].target.value
        return same and _is_constant(fallback.value)
    return False


def _is_constant(value: cst.BaseExpression | None) -> bool:
    if isinstance(value, cst.UnaryOperation) and isinstance(value.operator, cst.Minus):
        value = value.expression
    if isinstance(value, cst.Name):
        return value.value in ("True", "False")
    return isinstance(value, (cst.Integer, cst.Float, cst.SimpleString, cst.ConcatenatedString))
