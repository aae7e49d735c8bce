"""RV510 unseeded-randomness: a script that reports metrics from random numbers it never seeds,
or that claims determinism and turns on cuDNN benchmarking."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

import libcst as cst

from reviewer.analysis.tests_detection import is_test_path
from reviewer.engine import Invalid, Rule, Valid
from reviewer.engine.imports import dotted_name
from reviewer.engine.walker import iter_nodes
from reviewer.model import Category, Confidence, Severity

if TYPE_CHECKING:
    from reviewer.engine.context import RuleContext

#: Functions of the global generators that draw without being given a seed.
_PY_RANDOM = frozenset({
    "random", "randint", "randrange", "choice", "choices", "shuffle", "sample", "uniform", "gauss", "normalvariate",
    "betavariate", "expovariate", "triangular", "getrandbits", "randbytes", "lognormvariate", "vonmisesvariate",
})
_NUMPY_SKIP = frozenset({"seed", "get_state", "set_state", "default_rng", "RandomState", "Generator", "SeedSequence",
                         "PCG64", "MT19937", "Philox", "SFC64", "BitGenerator"})
_TORCH_RANDOM = frozenset({"rand", "randn", "randint", "randperm", "rand_like", "randn_like", "randint_like",
                           "bernoulli", "multinomial", "normal", "poisson"})
_TF_SKIP = frozenset({"set_seed", "Generator", "get_global_generator", "set_global_generator", "experimental"})
#: sklearn callables whose result depends on `random_state` (None: the global NumPy generator).
_SKLEARN_RANDOM = frozenset({
    "train_test_split", "ShuffleSplit", "StratifiedShuffleSplit", "GroupShuffleSplit", "RepeatedKFold",
    "RepeatedStratifiedKFold", "RandomizedSearchCV", "HalvingRandomSearchCV", "RandomForestClassifier",
    "RandomForestRegressor", "ExtraTreesClassifier", "ExtraTreesRegressor", "ExtraTreeClassifier",
    "ExtraTreeRegressor", "BaggingClassifier", "BaggingRegressor", "AdaBoostClassifier", "AdaBoostRegressor",
    "IsolationForest", "KMeans", "MiniBatchKMeans", "MLPClassifier", "MLPRegressor", "SGDClassifier", "SGDRegressor",
    "TSNE", "make_classification", "make_regression", "make_blobs", "make_moons", "make_circles",
    "RandomTreesEmbedding", "SpectralClustering", "GaussianMixture",
})
#: Estimators whose `random_state` only breaks ties between equally good splits unless they
#: sample (these keywords given): their scores do not change from run to run in practice.
_SKLEARN_RANDOM_WHEN = {
    "DecisionTreeClassifier": {"max_features", "splitter"}, "DecisionTreeRegressor": {"max_features", "splitter"},
    "GradientBoostingClassifier": {"subsample", "max_features"},
    "GradientBoostingRegressor": {"subsample", "max_features"},
}
#: Splitters that are random only with `shuffle=True`.
_SKLEARN_SHUFFLED = frozenset({"KFold", "StratifiedKFold", "GroupKFold", "StratifiedGroupKFold"})
#: Seeding calls by library: which generators they seed ("*": all of them).
_SEEDS = {
    "random.seed": {"random"},
    "numpy.random.seed": {"numpy", "sklearn"},
    "torch.manual_seed": {"torch"},
    "torch.random.manual_seed": {"torch"},
    "torch.cuda.manual_seed": {"torch"},
    "torch.cuda.manual_seed_all": {"torch"},
    "tensorflow.random.set_seed": {"tensorflow"},
    "tensorflow.set_random_seed": {"tensorflow"},
    "tensorflow.compat.v1.set_random_seed": {"tensorflow"},
}
_LIBRARIES = {"random": "`random`", "numpy": "NumPy", "torch": "PyTorch", "tensorflow": "TensorFlow",
              "sklearn": "scikit-learn"}
_FIX = {"random": "random.seed(...)", "numpy": "np.random.seed(...)", "torch": "torch.manual_seed(...)",
        "tensorflow": "tf.random.set_seed(...)", "sklearn": "random_state=..."}
#: A printed or logged string that reports a metric.
_METRIC_TEXT = re.compile(r"\b(acc|accuracy|f1|auc|roc|precision|recall|rmse|mae|mse|r2|top-?1|top-?5|bleu|"
                          r"score|error rate)\b", re.IGNORECASE)
_LOGGING = frozenset({"print", "info", "log", "debug", "warning", "write", "add_scalar", "log_metrics", "log_metric"})


class UnseededRandomness(Rule):
    """A script that reports metrics from random numbers it never seeds.

    ## What it does
    In a script or notebook that reports metrics (calls `sklearn.metrics` or `torchmetrics`, an
    estimator's `.score(X, y)`, a Keras model's `.evaluate(...)`, `cross_val_score`, or prints or
    logs an accuracy, F1, AUC, loss...), flags the first use of a random generator that is never
    seeded in the file: `random.*`, `np.random.*` (legacy global functions, and
    `np.random.default_rng()` without a seed), `torch.rand*`/`randperm`/`DataLoader(shuffle=True)`/
    `random_split`, `tf.random.*`, and scikit-learn splitters and estimators that take
    `random_state` but are not given one (`train_test_split(X, y)`, `RandomForestClassifier()`,
    `KFold(shuffle=True)`). One finding per file, naming every unseeded library.

    Seeds it recognizes: `random.seed(n)`, `np.random.seed(n)` (which also seeds scikit-learn's
    default), `torch.manual_seed(n)`, `tf.random.set_seed(n)`, and any other call of a function whose
    name contains `seed` (`keras.utils.set_random_seed`, Lightning's
    `seed_everything`, `transformers.set_seed`, your own `set_seed(args.seed)`), which is taken to
    seed everything (even without an argument: Lightning's `seed_everything()` picks and logs a
    seed, a helper has a default). A `random_state=`, `generator=` or `seed=` argument seeds its call.

    It also flags `torch.backends.cudnn.benchmark = True` in a file that claims determinism with
    `torch.backends.cudnn.deterministic = True` or `torch.use_deterministic_algorithms(True)`
    (unless the two are in different branches of an `if`).

    Only scripts are reviewed: notebooks, files with a `__main__` guard, and files outside a
    package with top-level calls or loops. A package's modules (imported, not run), library code
    without metrics, and tests stay quiet.

    ## Why is this bad?
    The reported number changes from run to run: a split, an initialization or a shuffle order is
    enough to move accuracy by points, so nobody (you included) can reproduce it, and two runs of
    an experiment cannot be compared. Seed every generator the script uses, once, at the start.
    cuDNN benchmarking picks the fastest convolution algorithm by timing, which can differ between
    runs and give different results: with it on, deterministic settings are not deterministic.
    """

    CODE = "RV510"
    NAME = "unseeded-randomness"
    CATEGORY = Category.CORRECTNESS
    SEVERITY = Severity.NOTE
    CONFIDENCE = Confidence.MEDIUM
    MESSAGE = "Random numbers that are never seeded feed the metrics this script reports: seed them"
    TRIGGERS = ("metrics", "accuracy", "Accuracy", ".score(", ".evaluate(", "cross_val", "cudnn", "_acc", "acc ",
                "acc=", "acc:")
    NOT_IN_TESTS = True

    VALID: ClassVar[list[Valid]] = [
        Valid("import numpy as np\nfrom sklearn.metrics import accuracy_score\n\nnp.random.seed(0)\n"
              "idx = np.random.permutation(100)\nprint(accuracy_score(y[idx], p[idx]))\n"),
        Valid("from sklearn.model_selection import train_test_split\nfrom sklearn.ensemble import RandomForestClassifier\n\n"
              "X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2, random_state=42)\n"
              "clf = RandomForestClassifier(random_state=0).fit(X_tr, y_tr)\nprint(clf.score(X_te, y_te))\n"),
        # No metrics: a data generator module.
        Valid("import random\n\ndef jitter(points):\n    return [p + random.gauss(0, 1) for p in points]\n"),
        # A library function: nothing runs at import.
        Valid("import numpy as np\nfrom sklearn.metrics import f1_score\n\ndef bootstrap(y, p, rng):\n"
              "    idx = np.random.choice(len(y), len(y))\n    return f1_score(y[idx], p[idx])\n"),
        Valid("import torch\nfrom lightning import seed_everything\n\nseed_everything(7)\n"
              "x = torch.randn(8, 3)\nprint(f'accuracy: {evaluate(x):.2f}')\n"),
        Valid("from sklearn.model_selection import train_test_split, KFold\nfrom sklearn import metrics\n\n"
              "train, test = train_test_split(series, test_size=0.2, shuffle=False)\nfolds = KFold(5)\n"
              "print(metrics.mean_absolute_error(test, forecast(train)))\n"),
        Valid("import numpy as np\nimport tensorflow as tf\n\ntf.keras.utils.set_random_seed(1)\n"
              "x = np.random.rand(100, 4)\nprint('accuracy', model.evaluate(x, y))\n"),
        Valid("import torch\nimport pytorch_lightning as pl\n\npl.seed_everything()\n"
              "loader = torch.utils.data.DataLoader(ds, shuffle=True)\nprint(trainer.test(model, loader), 'acc')\n"),
        Valid("import torch\nimport torch.backends.cudnn as cudnn\n\nif args.deterministic:\n"
              "    cudnn.deterministic = True\nelse:\n    cudnn.benchmark = True\n"),
        Valid("from sklearn.model_selection import *\nfrom sklearn.metrics import *\n\n"
              "X_tr, X_te, y_tr, y_te = train_test_split(X, y, random_state=1)\nprint(f1_score(y_te, p))\n"),
        Valid(cells=("import numpy as np\nfrom sklearn.model_selection import train_test_split\n"
                     "from sklearn.metrics import accuracy_score\nrng = np.random.default_rng(0)\n",
                     "X = rng.normal(size=(100, 3))\nX_tr, X_te = train_test_split(X, random_state=0)\n",
                     "print(accuracy_score(y_te, clf.predict(X_te)))\n")),
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid("from sklearn.model_selection import train_test_split\nfrom sklearn.metrics import accuracy_score\n\n"
                "X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2)\n"
                "print(accuracy_score(y_te, model.fit(X_tr, y_tr).predict(X_te)))\n", line=4),
        Invalid("import torch\n\nloader = torch.utils.data.DataLoader(ds, batch_size=32, shuffle=True)\n"
                "acc = train(loader)\nprint(f'test accuracy {acc:.3f}')\n", line=3),
        Invalid("import numpy as np\nfrom sklearn.ensemble import RandomForestClassifier as RF\n\nnp.random.shuffle(rows)\n"
                "print(RF().fit(X, y).score(X_te, y_te))\n", line=4),
        Invalid("from sklearn.model_selection import *\nfrom sklearn.metrics import *\n\n"
                "X_tr, X_te, y_tr, y_te = train_test_split(X, y)\nprint(f1_score(y_te, p))\n", line=4),
        Invalid("import torch\n\ntorch.backends.cudnn.deterministic = True\ntorch.backends.cudnn.benchmark = True\n",
                line=4),
        Invalid(cells=("import random\nfrom sklearn import metrics\n", "random.shuffle(samples)\n",
                       "print(metrics.f1_score(y, pred))\n"), cell=1, line=1),
    ]

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self.seeded: set[str] = set()
        self.uses: list[tuple[str, cst.Call, str]] = []  #: (library, call, what)
        self.metrics: bool = False
        self.benchmark: list[tuple[cst.CSTNode, tuple[cst.CSTNode, ...]]] = []
        self.deterministic: list[tuple[cst.CSTNode, tuple[cst.CSTNode, ...]]] = []
        text = context.unit.text
        #: Without a random library or cuDNN in the text there is nothing to find: skip the calls.
        self.active = any(word in text for word in ("random", "rand", "shuffle", "sklearn", "cudnn", "tensorflow"))
        #: `from sklearn.model_selection import *`: bare names may come from sklearn.
        self.star = [m for m, n in context.imports.modules if m.startswith("sklearn")
                     and isinstance(n, cst.ImportFrom) and isinstance(n.names, cst.ImportStar)]

    def visit_Call(self, node: cst.Call) -> None:
        if not self.active:
            return
        qualified = self.context.qualified_name(node.func) or ""
        if self.star and isinstance(node.func, cst.Name) and qualified == node.func.value:
            qualified = f"{self.star[0]}.{qualified}"  # which star module it is does not matter below
        func = node.func
        last = func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else ""
        keywords = {a.keyword.value: a.value for a in node.args if a.keyword is not None}
        if self._seeds(qualified, last, node):
            return
        if qualified.endswith("use_deterministic_algorithms") and node.args and _is_true(node.args[0].value):
            self.deterministic.append((node, tuple(self.context.stack)))
            return
        if not self.metrics and self._reports_metrics(qualified, last, node):
            self.metrics = True
        library = self._random_use(qualified, last, node, keywords)
        if library is not None:
            self.uses.append((library, node, (dotted_name(func) or last)))

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            name = dotted_name(target.target) or ""
            if name.endswith("cudnn.benchmark"):
                if _is_true(node.value):
                    self.benchmark.append((node, tuple(self.context.stack)))
                else:
                    self.benchmark.clear()  # turned off again
            elif name.endswith("cudnn.deterministic") and _is_true(node.value):
                self.deterministic.append((node, tuple(self.context.stack)))

    # --- facts ---
    def _seeds(self, qualified: str, last: str, node: cst.Call) -> bool:
        """A seeding call (seeding what it seeds when given a seed); True to stop looking at it."""
        if qualified in _SEEDS:
            if node.args:
                self.seeded |= _SEEDS[qualified]
            return True
        if "seed" not in last.lower():
            return False
        library = qualified.split(".", 1)[0]
        if library in _LIBRARIES and ".keras." not in qualified:  # keras.utils.set_random_seed: all
            if node.args:  # torch.seed(), np.random.SeedSequence(): a seed only when one is given
                self.seeded.add(library if library != "sklearn" else "*")
            return True
        root = node.func
        while isinstance(root, cst.Attribute):
            root = root.value
        local = isinstance(root, cst.Name) and root.value not in self.context.imports.aliases \
            and root.value not in {"self", "cls"}
        if isinstance(node.func, cst.Attribute) and local and last in {"seed", "manual_seed"}:
            return True  # a generator object of its own: rng.seed(0), g.manual_seed(0)
        # set_seed(42), seed_everything(), keras.utils.set_random_seed(1), ignite's manual_seed(s),
        # a helper with a default seed: taken to seed every library.
        self.seeded.add("*")
        return True

    def _reports_metrics(self, qualified: str, last: str, node: cst.Call) -> bool:
        if qualified.startswith(("sklearn.metrics", "torchmetrics", "evaluate.load")) \
                or qualified.startswith("sklearn.") and last.endswith(("_score", "_error", "classification_report")) \
                or qualified.rsplit(".", 1)[-1] in {"cross_val_score", "cross_validate", "classification_report"}:
            return True
        if isinstance(node.func, cst.Attribute) and last in {"score", "evaluate"} and node.args:
            return True
        if last in _LOGGING:
            for arg in node.args:
                for part in iter_nodes(arg.value):
                    text = part.value if isinstance(part, (cst.SimpleString, cst.FormattedStringText)) else \
                        part.value if isinstance(part, cst.Name) else None
                    if text is not None and _METRIC_TEXT.search(text.replace("_", " ")):
                        return True
        return False

    def _random_use(self, qualified: str, last: str, node: cst.Call, keywords: dict[str, cst.BaseExpression],
                    ) -> str | None:
        if qualified.startswith("random.") and qualified.count(".") == 1:
            if last in _PY_RANDOM:
                return "random"
            if last == "Random" and not node.args:
                return "random"
            return None
        if qualified.startswith("numpy.random."):
            if last in _NUMPY_SKIP:
                return "numpy" if last in {"default_rng", "RandomState"} and not node.args and not keywords else None
            return "numpy"
        if qualified.startswith("torch."):
            if qualified.count(".") == 1 and last in _TORCH_RANDOM and "generator" not in keywords:
                return "torch"
            if last == "DataLoader" and _is_true(keywords.get("shuffle")) and "generator" not in keywords:
                return "torch"
            if last == "random_split" and "generator" not in keywords and len(node.args) < 3:
                return "torch"
            return None
        if qualified.startswith("tensorflow.random.") and last not in _TF_SKIP and "seed" not in keywords:
            return "tensorflow"
        if qualified.startswith("sklearn.") and "random_state" not in keywords:
            if last == "train_test_split" and _is_false(keywords.get("shuffle")):
                return None  # a split in order: nothing random
            if last in _SKLEARN_RANDOM or _SKLEARN_RANDOM_WHEN.get(last, set()) & set(keywords):
                return "sklearn"
            if last in _SKLEARN_SHUFFLED and _is_true(keywords.get("shuffle")):
                return "sklearn"
        return None

    # --- decision ---
    def finish(self) -> None:
        if is_test_path(self.context.unit.path):
            return
        self._check_benchmark()
        if not self.metrics or "*" in self.seeded or not self._runs():
            return
        unseeded = [(lib, call, what) for lib, call, what in self.uses
                    if lib not in self.seeded and not (lib == "sklearn" and "numpy" in self.seeded)]
        if not unseeded:
            return
        libraries = list(dict.fromkeys(lib for lib, _, _ in unseeded))
        first = unseeded[0]
        names = ", ".join(_LIBRARIES[lib] for lib in libraries)
        fixes = ", ".join(f"`{_FIX[lib]}`" for lib in libraries)
        if first[0] == "sklearn":
            lead = f"`{first[2]}` has no `random_state`"
        else:
            lead = f"`{first[2]}` draws from the {_LIBRARIES[first[0]]} generator, which is never seeded"
        self.report(first[1], f"{lead}, and this script reports metrics: they change from run to run "
                              f"(unseeded here: {names}); seed with {fixes}")

    def _runs(self) -> bool:
        """Code that runs as a script: a notebook, a `__main__` guard, or (outside a package)
        top-level calls and loops. Assignments alone do not count: libraries build templates,
        loggers and tables at import."""
        if self.context.unit.is_notebook:
            return True
        body = self.context.module.body
        if any(isinstance(s, cst.If) and "__main__" in self.context.code_for(s.test) for s in body):
            return True
        path = Path(self.context.unit.path)
        if path.name != "__main__.py" and (path.parent / "__init__.py").is_file():
            return False  # a package's module, imported rather than run
        for statement in body:
            if isinstance(statement, (cst.For, cst.While, cst.With)):
                return True
            if isinstance(statement, cst.SimpleStatementLine) and any(
                    isinstance(small, cst.Expr) and isinstance(small.value, cst.Call) for small in statement.body):
                return True
        return False

    def _check_benchmark(self) -> None:
        if not self.benchmark or not self.deterministic:
            return
        node, path = self.benchmark[-1]
        if all(_exclusive(path, other) for _, other in self.deterministic):
            return
        self.report(node, "cuDNN benchmarking picks convolution algorithms by timing, which differs between runs: "
                          "with it on, the deterministic settings of this file are not deterministic; "
                          "set `torch.backends.cudnn.benchmark = False`")


def _is_true(node: cst.BaseExpression | None) -> bool:
    return isinstance(node, cst.Name) and node.value == "True"


def _is_false(node: cst.BaseExpression | None) -> bool:
    return isinstance(node, cst.Name) and node.value == "False"


def _exclusive(first: tuple[cst.CSTNode, ...], second: tuple[cst.CSTNode, ...]) -> bool:
    """The two paths part in different branches of one `if` (body against `else`/`elif`)."""
    for index, (a, b) in enumerate(zip(first, second, strict=False)):
        if a is not b:
            parent = first[index - 1] if index else None
            return isinstance(parent, cst.If)
    return False
