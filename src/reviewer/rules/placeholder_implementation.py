"""RV301 placeholder-implementation: a function left as `pass  # TODO: implement`."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import ClassVar

import libcst as cst

from reviewer.engine import Invalid, Rule, Valid
from reviewer.analysis.bindings import literal
from reviewer.engine.imports import dotted_name
from reviewer.model import Category, Confidence, Severity

#: Text that says the body is unfinished. "implement" counts only in phrases that say it is
#: missing, so "Implements the file protocol" on a deliberate no-op is not a marker.
_MARKER = re.compile(
    r"\b(?:todo|fixme|xxx|tbd)\b"
    r"|\bplace ?holder\b"
    r"|\b(?:your|add|insert|put|write) (?:the |your )?(?:own )?(?:code|implementation|logic) here\b"
    r"|\bimplementation (?:goes )?here\b"
    r"|\b(?:to be|not yet|yet to be|needs to be|still to be|not) implemented\b"
    r"|\bimplement (?:me|here|later)\b"
    r"|^\s*implement\b",
    re.IGNORECASE | re.MULTILINE,
)
#: "Implement ..." phrases also appear in informal abstract methods: `raise NotImplementedError`
#: bodies only count the unambiguous markers.
_STRONG_MARKER = re.compile(
    r"\b(?:todo|fixme|xxx|tbd)\b|\bplace ?holder\b"
    r"|\b(?:code|implementation|logic) (?:goes )?here\b",
    re.IGNORECASE,
)
#: Documentation of an intentionally empty hook: "Subclasses must implement this", pluggy hook
#: specifications ("Any conftest file can implement this hook").
_ABSTRACT_HINT = re.compile(
    r"\bsubclass(?:es)?\b|\boverrid(?:e|den|es)\b|\babstract\b|\bhook(?:s|spec)?\b", re.IGNORECASE
)
_EXEMPT_DECORATORS = frozenset(
    {"abstractmethod", "abstractproperty", "abstractclassmethod", "abstractstaticmethod",
     "overload"}
)
_ABSTRACT_BASES = frozenset({"Protocol", "ABC"})


class PlaceholderImplementation(Rule):
    """Function left as a placeholder.

    ## What it does
    Flags functions whose body (after an optional docstring) is only `pass`, `...`,
    `raise NotImplementedError(...)` or `return None` and whose docstring, comments (on or right
    above the `def`, or inside the body) or `NotImplementedError` message say it is unfinished:
    TODO, FIXME, XXX, "placeholder", "your code here", "not implemented", "implement me"...
    A `raise NotImplementedError` body needs an unambiguous marker (TODO, FIXME, XXX,
    placeholder), since that is also how informal abstract methods are written. Abstract code is
    not flagged: `@abstractmethod` and `@overload` functions, methods of classes deriving from
    `Protocol` or `ABC` or using `metaclass=ABCMeta`, text mentioning subclasses, overriding or
    hooks, stub files (`.pyi`) and definitions under `if TYPE_CHECKING:`.

    ## Why is this bad?
    AI assistants often leave stubs behind ("# TODO: implement the actual logic") while the rest
    of the code calls the function as if it worked. A `pass` body silently returns None, so the
    bug surfaces far away from its cause.
    """

    CODE = "RV301"
    NAME = "placeholder-implementation"
    CATEGORY = Category.AI_HYGIENE
    SEVERITY = Severity.WARNING
    CONFIDENCE = Confidence.HIGH
    MESSAGE = "Function is a placeholder: its body does nothing and a comment says it is unfinished"
    # The marker words are required, so they make a cheap pre-filter.
    TRIGGERS = (
        "TODO", "Todo", "todo", "FIXME", "Fixme", "fixme", "XXX", "xxx", "TBD", "mplement",
        "laceholder", "code here", "ogic here",
    )

    VALID: ClassVar[list[Valid]] = [
        Valid(
            "from abc import ABC, abstractmethod\n\nclass Store(ABC):\n    @abstractmethod\n"
            "    def save(self, item):\n        \"\"\"TODO: document the contract.\"\"\"\n"
        ),
        Valid(
            "class Handler:\n    def handle(self, event):\n"
            "        \"\"\"Subclasses must implement this.\"\"\"\n"
            "        raise NotImplementedError\n"
        ),
        Valid(
            "def process(items):\n    # TODO: parallelize\n"
            "    return [item * 2 for item in items]\n"
        ),
        Valid(
            "from typing import Protocol\n\nclass Reader(Protocol):\n"
            "    def read(self) -> bytes:  # TODO: async variant\n        ...\n"
        ),
        Valid('def on_close(self):\n    """Implements the file protocol; nothing to release."""\n'),
        Valid(
            "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n"
            "    def helper() -> int:  # TODO\n        ...\n"
        ),
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid("def train_model(data):\n    # TODO: implement\n    pass\n", line=1),
        Invalid(
            "def calculate_risk_score(user):\n"
            "    \"\"\"Calculate the risk score. Implementation goes here.\"\"\"\n"
            "    return None\n",
            line=1,
        ),
        Invalid(
            "class PaymentGateway:\n    def refund(self, charge_id):\n"
            "        raise NotImplementedError(\"TODO: call the refund API\")\n",
            line=2,
        ),
        Invalid(
            "import json\n\n# FIXME: placeholder until the schema is final\n"
            "def validate(payload):\n    ...\n",
            line=4,
        ),
        Invalid("def send_email(to, body):  # TODO\n    pass\n", line=1),
        Invalid(
            "async def fetch_prices(symbols):\n    \"\"\"Fetch live prices.\"\"\"\n"
            "    # Your code here\n    pass\n",
            line=1,
        ),
    ]

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        # Cheapest test first: almost every function has a real statement in its body.
        small = _small_statements(node.body)
        if small is None:
            return
        docstring = _docstring(small)
        rest = small[1:] if docstring is not None else small
        if not all(_is_placeholder_statement(s) for s in rest):
            return
        if self._is_exempt(node):
            return
        text = "\n".join(self._texts(node, docstring, rest))
        raises = any(isinstance(s, cst.Raise) for s in rest)
        marker = (_STRONG_MARKER if raises else _MARKER).search(text)
        if marker is None or _ABSTRACT_HINT.search(text):
            return
        self.report(
            node.name,
            f"`{node.name.value}` is a placeholder: its body is only `{_describe(rest)}` and "
            f"a comment says \"{marker.group().strip()}\"; implement it or remove it",
        )

    def _is_exempt(self, node: cst.FunctionDef) -> bool:
        if self.context.unit.path.endswith(".pyi"):
            return True
        for decorator in node.decorators:
            expr = decorator.decorator
            name = dotted_name(expr.func if isinstance(expr, cst.Call) else expr) or ""
            if name.split(".")[-1] in _EXEMPT_DECORATORS:
                return True
        owner = self.context.enclosing(cst.ClassDef, cst.FunctionDef)
        if isinstance(owner, cst.ClassDef) and _is_abstract_class(owner):
            return True
        return any(
            isinstance(ancestor, cst.If)
            and (dotted_name(ancestor.test) or "").endswith("TYPE_CHECKING")
            for ancestor in self.context.stack
        )

    def _texts(
        self, node: cst.FunctionDef, docstring: str | None, rest: Sequence[cst.BaseSmallStatement]
    ) -> Iterator[str]:
        """Docstring, NotImplementedError messages and the comments on, above and in the def."""
        if docstring is not None:
            yield docstring
        for statement in rest:
            if isinstance(statement, cst.Raise) and isinstance(statement.exc, cst.Call):
                for arg in statement.exc.args:
                    if isinstance(arg.value, cst.SimpleString):
                        yield str(literal(arg.value) or "")
        module = self.context.module
        above = module.header if module.body and module.body[0] is node else node.leading_lines
        yield from _comments_right_above(above)
        yield from _comments(node.lines_after_decorators)
        yield from _comments_in_suite(node.body)


def _small_statements(body: cst.BaseSuite) -> list[cst.BaseSmallStatement] | None:
    """The body as small statements, or None when it holds a compound statement (if, for...)."""
    if isinstance(body, cst.SimpleStatementSuite):
        return list(body.body)
    statements: list[cst.BaseSmallStatement] = []
    for statement in body.body:  # type: ignore[attr-defined]
        if not isinstance(statement, cst.SimpleStatementLine):
            return None
        statements.extend(statement.body)
    return statements


def _docstring(small: Sequence[cst.BaseSmallStatement]) -> str | None:
    first = small[0] if small else None
    strings = (cst.SimpleString, cst.ConcatenatedString)
    if isinstance(first, cst.Expr) and isinstance(first.value, strings):
        value = literal(first.value)
        return value if isinstance(value, str) else ""
    return None


def _is_placeholder_statement(statement: cst.BaseSmallStatement) -> bool:
    if isinstance(statement, cst.Pass):
        return True
    if isinstance(statement, cst.Expr):
        return isinstance(statement.value, cst.Ellipsis)
    if isinstance(statement, cst.Return):
        return statement.value is None or (
            isinstance(statement.value, cst.Name) and statement.value.value == "None"
        )
    if isinstance(statement, cst.Raise):
        exc = statement.exc.func if isinstance(statement.exc, cst.Call) else statement.exc
        return isinstance(exc, cst.Name) and exc.value in {"NotImplementedError", "NotImplemented"}
    return False


def _describe(rest: Sequence[cst.BaseSmallStatement]) -> str:
    if not rest:
        return "a docstring"
    first = rest[0]
    if isinstance(first, cst.Raise):
        return "raise NotImplementedError"
    if isinstance(first, cst.Return):
        return "return None"
    return "..." if isinstance(first, cst.Expr) else "pass"


def _is_abstract_class(node: cst.ClassDef) -> bool:
    for arg in node.bases:
        base = arg.value.value if isinstance(arg.value, cst.Subscript) else arg.value  # Protocol[T]
        if (dotted_name(base) or "").split(".")[-1] in _ABSTRACT_BASES:
            return True
    return any(
        arg.keyword is not None
        and arg.keyword.value == "metaclass"
        and (dotted_name(arg.value) or "").endswith("ABCMeta")
        for arg in node.keywords
    )


def _comments(lines: Sequence[cst.EmptyLine]) -> Iterator[str]:
    for line in lines:
        if line.comment is not None:
            yield line.comment.value.lstrip("#")


def _comments_right_above(lines: Sequence[cst.EmptyLine]) -> Iterator[str]:
    """The comment lines directly above the def (a blank line ends the block)."""
    found: list[str] = []
    for line in reversed(lines):
        if line.comment is None:
            break
        found.append(line.comment.value.lstrip("#"))
    yield from reversed(found)


def _comments_in_suite(body: cst.BaseSuite) -> Iterator[str]:
    if isinstance(body, cst.SimpleStatementSuite):
        if body.trailing_whitespace.comment is not None:
            yield body.trailing_whitespace.comment.value.lstrip("#")
        return
    if not isinstance(body, cst.IndentedBlock):
        return
    if body.header.comment is not None:
        yield body.header.comment.value.lstrip("#")
    for statement in body.body:
        yield from _comments(statement.leading_lines)
        trailing = getattr(statement, "trailing_whitespace", None)
        if trailing is not None and trailing.comment is not None:
            yield trailing.comment.value.lstrip("#")
    yield from _comments(body.footer)
