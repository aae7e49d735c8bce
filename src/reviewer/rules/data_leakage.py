"""RV509 data-leakage: preprocessing fitted before the train/test split or cross-validation,
estimators fitted on the test split, the test split used for early stopping, oversampling before
the split."""

from __future__ import annotations

import re

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, ClassVar

import libcst as cst

from reviewer.analysis.bindings import string_value
from reviewer.engine import Invalid, Rule, Valid
from reviewer.engine.walker import iter_nodes, walkable_fields
from reviewer.model import Category, Confidence, Severity

if TYPE_CHECKING:
    from reviewer.engine.context import RuleContext

_SPLIT = "sklearn.model_selection.train_test_split"
_MS = "sklearn.model_selection."
#: Cross-validation helpers: their data is split into folds inside.
_CV_FUNCTIONS = frozenset(_MS + name for name in (
    "cross_val_score", "cross_validate", "cross_val_predict", "learning_curve", "validation_curve",
    "permutation_test_score"))
_SEARCHES = frozenset({*(_MS + name for name in (
    "GridSearchCV", "RandomizedSearchCV", "HalvingGridSearchCV", "HalvingRandomSearchCV")),
    "skopt.BayesSearchCV"})
_SPLITTERS = frozenset(_MS + name for name in (
    "KFold", "StratifiedKFold", "GroupKFold", "StratifiedGroupKFold", "RepeatedKFold",
    "RepeatedStratifiedKFold", "ShuffleSplit", "StratifiedShuffleSplit", "GroupShuffleSplit",
    "LeaveOneOut", "LeavePOut", "LeaveOneGroupOut", "LeavePGroupsOut", "TimeSeriesSplit"))
#: Modules whose classes learn statistics of the data they are fitted on.
_PREPROCESSING = ("sklearn.preprocessing.", "sklearn.impute.", "sklearn.feature_selection.",
                  "sklearn.decomposition.", "sklearn.feature_extraction.")
#: Classes of those modules that learn nothing from the rows: fitting them anywhere is harmless.
_STATELESS = frozenset({
    "PolynomialFeatures", "FunctionTransformer", "Binarizer", "Normalizer", "HashingVectorizer", "FeatureHasher",
    "MissingIndicator", "PatchExtractor",
})
#: Classes that only learn the set of categories, usually wanted over the whole data (but refitted
#: on the test split they give it a different encoding).
_CATEGORIES = frozenset({
    "LabelEncoder", "LabelBinarizer", "MultiLabelBinarizer", "OneHotEncoder", "OrdinalEncoder", "DictVectorizer",
})
#: category_encoders encoders that learn from the target or from frequencies.
_ENCODERS = frozenset({
    "TargetEncoder", "CatBoostEncoder", "WOEEncoder", "JamesSteinEncoder", "LeaveOneOutEncoder",
    "MEstimateEncoder", "GLMMEncoder", "QuantileEncoder", "SummaryEncoder", "CountEncoder",
})
#: sklearn.preprocessing functions that scale with statistics of the whole array they get.
_SCALING_FUNCTIONS = frozenset("sklearn.preprocessing." + name for name in (
    "scale", "minmax_scale", "robust_scale", "maxabs_scale", "quantile_transform", "power_transform"))
_OVERSAMPLERS = ("imblearn.over_sampling.", "imblearn.combine.")
_COMPOSERS = frozenset({"sklearn.compose.ColumnTransformer", "sklearn.compose.make_column_transformer"})
_PIPELINES = frozenset({"sklearn.pipeline.Pipeline", "sklearn.pipeline.make_pipeline", "sklearn.pipeline.FeatureUnion",
                        "sklearn.pipeline.make_union", "imblearn.pipeline.Pipeline", "imblearn.pipeline.make_pipeline"})
#: Libraries whose classes are estimators (`fit` learns from the data it gets).
_ESTIMATOR_LIBRARIES = ("sklearn.", "xgboost.", "lightgbm.", "catboost.", "imblearn.", "category_encoders.",
                        "keras.", "tensorflow.keras.", "tf.keras.")
#: Modules a `from M import *` can make a bare class name come from.
_STAR_MODULES = ("sklearn.preprocessing", "sklearn.impute", "sklearn.feature_selection", "sklearn.decomposition",
                 "sklearn.feature_extraction.text", "sklearn.model_selection", "imblearn.over_sampling")
#: Wrappers that hold data: `Pool(X_test, y_test)` is the test data.
_DATA_WRAPPERS = frozenset({"catboost.Pool", "xgboost.DMatrix", "lightgbm.Dataset"})
#: Native training functions and the keyword holding their validation sets.
_NATIVE_TRAIN = {"xgboost.train": "evals", "lightgbm.train": "valid_sets"}
_PREDICTS = frozenset({"predict", "predict_proba", "predict_log_proba", "decision_function", "score", "evaluate"})
#: Methods of a fitted transformer that give transformed data.
_TRANSFORMS = frozenset({"transform"})
_FITS = frozenset({"fit", "fit_transform", "fit_resample", "fit_predict"})


@dataclass(frozen=True)
class _Half:
    """One half of a `train_test_split` call's output."""

    split: cst.Call
    test: bool
    name: str | None = None


@dataclass(frozen=True, eq=False)
class _Leak:
    """A fit (or oversampling) on whole data: a leak once its result reaches a split or CV."""

    node: cst.Call
    kind: str  #: "fit" or "oversample"
    who: str
    data: str | None
    order: int


@dataclass(frozen=True)
class _Est:
    kind: str  #: pre, over, sampler, search, splitter, model, calibration, stopper, stateless
    label: str
    call: cst.Call
    fitted: _Leak | None = None


@dataclass(frozen=True)
class _Val:
    half: _Half | None = None
    leaks: frozenset[_Leak] = frozenset()
    est: _Est | None = None
    items: tuple[_Val, ...] | None = None

    def data(self) -> _Val:
        return _Val(self.half, self.leaks) if self.half is not None or self.leaks else _EMPTY


_EMPTY = _Val()


def _merge(values: list[_Val]) -> _Val:
    """Data combined from several values: the half only when they all agree, every leak."""
    halves = {v.half for v in values}
    leaks = frozenset().union(*(v.leaks for v in values)) if values else frozenset()
    half = halves.pop() if len(halves) == 1 else None
    return _Val(half, leaks) if half is not None or leaks else _EMPTY


def _keyword(call: cst.Call, name: str) -> cst.Arg | None:
    return next((a for a in call.args if a.keyword is not None and a.keyword.value == name), None)


def _positional(call: cst.Call) -> list[cst.Arg]:
    return [a for a in call.args if a.keyword is None and not a.star]


def _is_false_or_none(expr: cst.BaseExpression) -> bool:
    return isinstance(expr, cst.Name) and expr.value in ("False", "None")


@dataclass
class _Scope:
    env: dict[str, _Val] = field(default_factory=dict)
    #: (fit call, half, estimator label) of fits on a test half; decided at the end.
    test_fits: list[tuple[cst.Call, _Half, str]] = field(default_factory=list)
    #: (fit call, half, how) of test halves used to stop training early or pick the best model.
    selections: list[tuple[cst.Call, _Half, str]] = field(default_factory=list)
    #: split call -> the first call evaluating its test half.
    evaluated: dict[cst.Call, cst.Call] = field(default_factory=dict)
    #: split call -> its position in the scope (leaks fitted after a split do not reach it).
    splits: dict[cst.Call, int] = field(default_factory=dict)
    #: Every evaluation of a test half, in order: (evaluating call, half).
    evaluations: list[tuple[cst.Call, _Half]] = field(default_factory=list)
    #: The scope's own statements as text (is a loop's collection of scores then maximised?).
    text: str = ""
    #: (evaluating call, half, loop variable) of loops that keep the best score on a held-out half.
    tunings: list[tuple[cst.Call, _Half, str]] = field(default_factory=list)


class DataLeakage(Rule):
    """Information from the test data leaks into training or model selection.

    ## What it does
    Follows, in each function and in a module or notebook (all cells in order), which variables
    hold the whole dataset, the training split and the test split of `train_test_split`, and the
    data derived from them (`scaler.transform(X)`, `X.copy()`, `X[cols]`, `pd.DataFrame(X)`...).
    It flags:

    - a preprocessing estimator (scaler, imputer, feature selector, PCA/SVD, vectorizer,
      target encoder, `sklearn.preprocessing.scale()`...) fitted on the whole data when its result
      later goes into `train_test_split` or cross-validation (`cross_val_score`, `GridSearchCV`,
      `KFold().split`), or when the fitted estimator is then applied to the split data;
    - `fit`, `fit_transform` or `fit_resample` of an estimator on the test split;
    - the test split used for early stopping or best-model selection (`eval_set=` with early
      stopping in XGBoost, LightGBM or CatBoost, `validation_data=` with an `EarlyStopping`
      callback in Keras) when the same split also gives the final score;
    - oversampling (imbalanced-learn's SMOTE, ADASYN, `RandomOverSampler`, or
      `sklearn.utils.resample(..., replace=True)`) before `train_test_split` or cross-validation;
    - a hyperparameter chosen on the test split: a `for k in ...:` loop that builds an estimator
      with `k`, scores it on the test split and keeps the best (`if score > best: best_k = k`,
      or scores collected and then maximised with `max`/`argmax`). The same loop on a
      validation split, or one that only prints or plots the scores, stays quiet.

    Preprocessing inside a `Pipeline` that is cross-validated, fitting on the training split and
    transforming the test split, fitting on all data when no split or evaluation follows (the
    final model, clustering), encoders that only learn the categories (`OneHotEncoder`,
    `LabelEncoder`, `pd.get_dummies`) and objects that are not known estimators stay quiet, as
    do variables reassigned in between (their origin is unknown) and test files (a unit test
    checks what an estimator does, not how well it generalizes).

    ## Why is this bad?
    The test score is meant to estimate how the model does on data it has never seen. A scaler,
    imputer or feature selector fitted before the split has seen the test rows (their mean,
    their missing values, their correlation with the target); oversampling before the split puts
    copies or interpolations of test rows into the training set; early stopping on the test set
    tunes the model to it. The reported score is then optimistic, sometimes wildly so, and the
    model disappoints in production. Split first, fit every preprocessing step on the training
    part only (a `Pipeline` does this inside cross-validation), and keep a separate validation
    split for early stopping.
    """

    CODE = "RV509"
    NAME = "data-leakage"
    CATEGORY = Category.CORRECTNESS
    SEVERITY = Severity.WARNING
    CONFIDENCE = Confidence.MEDIUM
    MESSAGE = "Information from the test data leaks into training"
    #: A unit test checks what an estimator does, not how well it generalizes: scaling the whole
    #: toy dataset before a split there misleads no one (scikit-learn's own tests do it often).
    NOT_IN_TESTS = True
    TRIGGERS = ("train_test_split", "cross_val", "cross_validate", "SearchCV", "KFold", "ShuffleSplit",
                "LeaveOneOut", "LeavePOut", "TimeSeriesSplit", "learning_curve", "validation_curve")

    VALID: ClassVar[list[Valid]] = [
        Valid("from sklearn.model_selection import train_test_split\nfrom sklearn.neighbors import KNeighborsClassifier\n\n"
              "X_train, X_test, y_train, y_test = train_test_split(X, y)\nfor k in range(1, 10):\n"
              "    knn = KNeighborsClassifier(n_neighbors=k).fit(X_train, y_train)\n    print(k, knn.score(X_test, y_test))\n"),
        Valid("from sklearn.model_selection import train_test_split\nfrom sklearn.svm import SVC\n\n"
              "def tune(X_train, y_train):\n    X_tr, X_val, y_tr, y_val = train_test_split(X_train, y_train)\n"
              "    best, best_c = 0, None\n    for c in [0.1, 1, 10]:\n"
              "        acc = SVC(C=c).fit(X_tr, y_tr).score(X_val, y_val)\n        if acc > best:\n"
              "            best, best_c = acc, c\n    return best_c\n"),
        # Split first, fit on the training part, transform the test part.
        Valid("from sklearn.model_selection import train_test_split\nfrom sklearn.preprocessing import StandardScaler\n"
              "\nX_train, X_test, y_train, y_test = train_test_split(X, y)\nscaler = StandardScaler()\n"
              "X_train = scaler.fit_transform(X_train)\nX_test = scaler.transform(X_test)\n"
              "model.fit(X_train, y_train)\nprint(model.score(X_test, y_test))\n"),
        # The scaler is refitted inside each fold.
        Valid("from sklearn.model_selection import cross_val_score\nfrom sklearn.pipeline import make_pipeline\n"
              "from sklearn.preprocessing import StandardScaler\nfrom sklearn.linear_model import LogisticRegression\n"
              "\npipe = make_pipeline(StandardScaler(), LogisticRegression())\nscores = cross_val_score(pipe, X, y, cv=5)\n"),
        # All data, no split or evaluation afterwards: the final model.
        Valid("from sklearn.model_selection import train_test_split\nfrom sklearn.preprocessing import StandardScaler\n"
              "\ndef final(X, y, model):\n    X = StandardScaler().fit_transform(X)\n    model.fit(X, y)\n    return model\n"),
        # A PCA for a plot; the raw data is what gets split.
        Valid("from sklearn.decomposition import PCA\nfrom sklearn.model_selection import train_test_split\n"
              "\nX_2d = PCA(n_components=2).fit_transform(X)\nplot(X_2d)\n"
              "X_train, X_test, y_train, y_test = train_test_split(X, y)\n"),
        # Categories only; the target's labels.
        Valid("from sklearn.model_selection import train_test_split\nfrom sklearn.preprocessing import LabelEncoder\n"
              "import pandas as pd\n\nX = pd.get_dummies(df.drop(columns='y'))\ny = LabelEncoder().fit_transform(df.y)\n"
              "X_train, X_test, y_train, y_test = train_test_split(X, y)\n"),
        # Learns nothing from the rows it is fitted on.
        Valid("from sklearn.model_selection import train_test_split\nfrom sklearn.preprocessing import PolynomialFeatures\n"
              "\nX_train, X_test, y_train, y_test = train_test_split(X, y)\n"
              "X_test_poly = PolynomialFeatures(2).fit_transform(X_test)\n"),
        # Not a known estimator.
        Valid("from sklearn.model_selection import train_test_split\n\nX_train, X_test = train_test_split(X)\n"
              "helper.fit(X_test)\n"),
        # Reassigned in between: the split data is not the scaled data.
        Valid("from sklearn.model_selection import train_test_split\nfrom sklearn.preprocessing import MinMaxScaler\n"
              "\nX = MinMaxScaler().fit_transform(X)\nX = load_features()\nX_train, X_test = train_test_split(X)\n"),
        # Early stopping on a validation split, final score on the test split.
        Valid("from sklearn.model_selection import train_test_split\nfrom xgboost import XGBClassifier\n"
              "\nX_tr, X_test, y_tr, y_test = train_test_split(X, y)\nX_tr, X_val, y_tr, y_val = train_test_split(X_tr, y_tr)\n"
              "model = XGBClassifier(early_stopping_rounds=20)\nmodel.fit(X_tr, y_tr, eval_set=[(X_val, y_val)])\n"
              "print(model.score(X_test, y_test))\n"),
        Valid(cells=("from sklearn.model_selection import train_test_split\nfrom sklearn.impute import SimpleImputer\n",
                     "X_train, X_test, y_train, y_test = train_test_split(X, y)\nimp = SimpleImputer().fit(X_train)\n",
                     ("X_test = imp.transform(X_test)\nmodel.fit(imp.transform(X_train), y_train)\n"
                      "model.score(X_test, y_test)\n"))),
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid("import numpy as np\nfrom sklearn.model_selection import train_test_split\n"
                "from sklearn.neighbors import KNeighborsClassifier\n\nX_train, X_test, y_train, y_test = train_test_split(X, y)\n"
                "scores = []\nfor k in range(1, 20):\n    knn = KNeighborsClassifier(n_neighbors=k).fit(X_train, y_train)\n"
                "    scores.append(knn.score(X_test, y_test))\nbest_k = int(np.argmax(scores)) + 1\n", line=9),
        Invalid("from sklearn.model_selection import train_test_split\nfrom sklearn.svm import SVC\n\n"
                "def tune(X, y):\n    X_train, X_test, y_train, y_test = train_test_split(X, y)\n    best, best_c = 0, None\n"
                "    for c in [0.1, 1, 10]:\n        acc = SVC(C=c).fit(X_train, y_train).score(X_test, y_test)\n"
                "        if acc > best:\n            best, best_c = acc, c\n    return best_c, best\n", line=8),
        Invalid("from sklearn.model_selection import train_test_split\nfrom sklearn.preprocessing import StandardScaler\n"
                "\nX = StandardScaler().fit_transform(X)\nX_train, X_test, y_train, y_test = train_test_split(X, y)\n",
                line=4),
        Invalid("import sklearn.preprocessing as pp\nfrom sklearn.model_selection import train_test_split as tts\n"
                "\ndef run(X, y):\n    scaler = pp.MinMaxScaler()\n    scaler.fit(X)\n"
                "    X_train, X_test, y_train, y_test = tts(X, y)\n    return scaler.transform(X_train)\n", line=6),
        Invalid("from sklearn.feature_selection import SelectKBest\nfrom sklearn.model_selection import cross_val_score\n"
                "\nX_sel = SelectKBest(k=10).fit_transform(X, y)\nprint(cross_val_score(model, X_sel, y))\n", line=4),
        Invalid("from sklearn.model_selection import train_test_split\nfrom sklearn.preprocessing import StandardScaler\n"
                "\nX_train, X_test, y_train, y_test = train_test_split(X, y)\nX_test = StandardScaler().fit_transform(X_test)\n",
                line=5),
        Invalid("from sklearn.model_selection import train_test_split\nfrom lightgbm import LGBMClassifier, early_stopping\n"
                "\nX_train, X_test, y_train, y_test = train_test_split(X, y)\nclf = LGBMClassifier()\n"
                "clf.fit(X_train, y_train, eval_set=[(X_test, y_test)], callbacks=[early_stopping(50)])\n"
                "print(clf.score(X_test, y_test))\n", line=6),
        Invalid("from imblearn.over_sampling import SMOTE\nfrom sklearn.model_selection import train_test_split\n"
                "\nX_res, y_res = SMOTE().fit_resample(X, y)\nX_train, X_test, y_train, y_test = train_test_split(X_res, y_res)\n",
                line=4),
        Invalid(cells=("from sklearn.model_selection import train_test_split\nfrom sklearn.impute import SimpleImputer\n",
                       "df[cols] = SimpleImputer().fit_transform(df[cols])\n",
                       "X_train, X_test, y_train, y_test = train_test_split(df[cols], df.target)\n"),
                cell=1, line=1),
    ]

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self._order = 0
        self._reported: set[int] = set()
        self._star: tuple[str, ...] | None = None

    def visit_Module(self, node: cst.Module) -> None:
        self._run(node.body, node)
        for function in iter_nodes(node):
            if isinstance(function, cst.FunctionDef):
                self._run(function.body.body, function)

    # --- one scope ---

    def _run(self, statements: object, owner: cst.CSTNode) -> None:
        self._scope = _Scope()
        self._owner = owner
        self._statements(statements)
        self._decide()

    def _decide(self) -> None:
        scope = self._scope
        evaluated = scope.evaluated
        for call, half, who in scope.test_fits:
            named = "test" in (half.name or "").lower()
            if named or (half.split in evaluated and len(evaluated) == 1):
                self._report(call, f"`{who}` is fitted on the test split `{half.name}` (from `train_test_split` at "
                                   f"{self._where(half.split)}): fit on the training data and only transform or "
                                   "predict the test data")
        for call, half, parameter in scope.tunings:
            name = (half.name or "").lower()
            if "test" in name or (len(evaluated) == 1 and not any(w in name for w in ("val", "dev"))):
                self._report(call, f"The test split `{half.name}` (from `train_test_split` at "
                                   f"{self._where(half.split)}) scores each `{parameter}` tried in this loop to keep "
                                   "the best: the test score of the chosen model is optimistic; choose it by "
                                   "cross-validation on the training part or on a separate validation split")
        for call, half, how in scope.selections:
            final = evaluated.get(half.split)
            if final is None:
                continue  # a validation split: that is what it is for
            if len(evaluated) > 1 and "test" not in (half.name or "").lower():
                continue  # another split gives the final score
            self._report(call, f"The test split `{half.name}` (from `train_test_split` at {self._where(half.split)}) "
                               f"{how} and also gives the final score at {self._where(final)}: the score is "
                               "optimistic; hold out a separate validation split")

    def _report(self, node: cst.CSTNode, message: str) -> None:
        if id(node) not in self._reported:
            self._reported.add(id(node))
            self.report(node, message)

    def _where(self, node: cst.CSTNode) -> str:
        location = self.context.unit.location(self.context.span(node)[0])
        return f"line {location.line}" if location.cell is None else f"cell {location.cell + 1}, line {location.line}"

    def _leak_found(self, leak: _Leak, evidence: cst.Call, how: str, *, folds: bool = False) -> None:
        data = f"`{leak.data}`" if leak.data else "the whole data"
        where = self._where(evidence)
        if leak.kind == "oversample":
            message = (f"`{leak.who}` oversamples {data} {how} ({where}): copies or interpolations of rows that are "
                       "then held out for evaluation end up in the training data; resample only the training part"
                       + (" (an imbalanced-learn Pipeline does it in each fold)" if folds else ""))
        elif folds:
            message = (f"`{leak.who}` is fitted on {data} {how} ({where}): every fold is scored on rows it has "
                       "already seen; put it in a Pipeline so that each fold fits it on its training part")
        else:
            message = (f"`{leak.who}` is fitted on {data} {how} ({where}): it has seen the test rows; split first "
                       "and fit it on the training part only")
        self._report(leak.node, message)

    # --- statements ---

    def _statements(self, statements: object) -> None:
        for statement in statements:  # type: ignore[attr-defined]
            self._statement(statement)

    def _block(self, suite: cst.BaseSuite | None) -> None:
        if suite is not None:
            self._statements(suite.body)

    def _statement(self, node: cst.CSTNode) -> None:
        env = self._scope.env
        if isinstance(node, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
            self._statements(node.body)
        elif isinstance(node, cst.Assign):
            value = self._eval(node.value)
            for target in node.targets:
                self._bind(target.target, value)
        elif isinstance(node, cst.AnnAssign):
            self._bind(node.target, self._eval(node.value) if node.value is not None else _EMPTY)
        elif isinstance(node, cst.AugAssign):
            value = self._eval(node.value)
            if isinstance(node.target, cst.Name) and value.leaks:
                old = env.get(node.target.value, _EMPTY)
                env[node.target.value] = replace(old, leaks=old.leaks | value.leaks)
        elif isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            env.pop(node.name.value, None)  # its own scope, analyzed on its own
        elif isinstance(node, (cst.Import, cst.ImportFrom, cst.Del, cst.Global, cst.Nonlocal)):
            for name in iter_nodes(node):
                if isinstance(name, cst.Name):
                    env.pop(name.value, None)
        elif isinstance(node, cst.If):
            self._eval(node.test)
            self._block(node.body)
            if node.orelse is not None:
                self._statement(node.orelse) if isinstance(node.orelse, cst.If) else self._block(node.orelse.body)
        elif isinstance(node, cst.For):
            self._eval(node.iter)
            self._bind(node.target, _EMPTY)
            before = len(self._scope.evaluations)
            self._block(node.body)
            if node.orelse is not None:
                self._block(node.orelse.body)
            self._tuning(node, self._scope.evaluations[before:])
        elif isinstance(node, cst.While):
            self._eval(node.test)
            self._block(node.body)
            if node.orelse is not None:
                self._block(node.orelse.body)
        elif isinstance(node, (cst.Try, cst.TryStar)):
            self._block(node.body)
            for handler in node.handlers:
                if handler.name is not None:
                    self._bind(handler.name.name, _EMPTY)
                self._block(handler.body)
            if node.orelse is not None:
                self._block(node.orelse.body)
            if node.finalbody is not None:
                self._block(node.finalbody.body)
        elif isinstance(node, cst.With):
            for item in node.items:
                self._eval(item.item)
                if item.asname is not None:
                    self._bind(item.asname.name, _EMPTY)
            self._block(node.body)
        elif isinstance(node, cst.Match):
            self._eval(node.subject)
            for case in node.cases:
                self._block(case.body)
        else:  # Expr, Return, Assert, Raise...
            self._scan(node)

    def _bind(self, target: cst.BaseExpression, value: _Val) -> None:
        env = self._scope.env
        if isinstance(target, cst.Name):
            if value.half is not None and value.half.name is None:
                value = replace(value, half=replace(value.half, name=target.value))
            if value.items is not None:
                value = _merge(list(value.items))
            if value is _EMPTY or value == _EMPTY:
                env.pop(target.value, None)
            else:
                env[target.value] = value
        elif isinstance(target, (cst.Tuple, cst.List)):
            elements = target.elements
            if value.items is not None and len(value.items) == len(elements) \
                    and not any(isinstance(e, cst.StarredElement) for e in elements):
                for element, item in zip(elements, value.items, strict=True):
                    self._bind(element.value, item)
            else:
                for element in elements:
                    self._bind(element.value, _EMPTY)
        elif isinstance(target, cst.StarredElement):
            self._bind(target.value, _EMPTY)
        elif isinstance(target, (cst.Subscript, cst.Attribute)):
            # `df[cols] = scaler.fit_transform(df[cols])`: the frame now holds the fitted result.
            root = target
            while isinstance(root, (cst.Subscript, cst.Attribute)):
                if isinstance(root, cst.Subscript):
                    self._eval_slices(root)
                root = root.value
            if isinstance(root, cst.Name) and value.leaks:
                old = env.get(root.value, _EMPTY)
                if old.est is None:
                    env[root.value] = replace(old, leaks=old.leaks | value.leaks)

    # --- expressions ---

    def _scan(self, node: cst.CSTNode) -> None:
        """Evaluate every expression under a node that is not one itself (an Arg, a statement)."""
        for name in walkable_fields(type(node)):
            value = getattr(node, name)
            children = value if type(value) in (tuple, list) else (value,)
            for child in children:
                if isinstance(child, (cst.Lambda, cst.BaseComp, cst.FunctionDef, cst.ClassDef)):
                    continue
                if isinstance(child, cst.BaseExpression):
                    self._eval(child)
                elif isinstance(child, cst.CSTNode):
                    self._scan(child)

    def _eval_slices(self, node: cst.Subscript) -> None:
        for element in node.slice:
            self._scan(element)

    def _eval(self, node: cst.BaseExpression) -> _Val:
        if isinstance(node, cst.Name):
            return self._scope.env.get(node.value, _EMPTY)
        if isinstance(node, cst.Call):
            return self._call(node)
        if isinstance(node, cst.Attribute):
            value = self._eval(node.value)
            return _EMPTY if value.est is not None else value.data()
        if isinstance(node, cst.Subscript):
            value = self._eval(node.value)
            self._eval_slices(node)
            return _EMPTY if value.est is not None else value.data()
        if isinstance(node, cst.BinaryOperation):
            return _merge([self._eval(node.left).data(), self._eval(node.right).data()])
        if isinstance(node, cst.UnaryOperation):
            return self._eval(node.expression).data()
        if isinstance(node, (cst.Tuple, cst.List)):
            items = tuple(self._eval(e.value) if isinstance(e, cst.Element) else _EMPTY for e in node.elements)
            return _Val(items=items)
        if isinstance(node, (cst.Lambda, cst.BaseComp)):
            return _EMPTY
        self._scan(node)
        return _EMPTY

    def _qualified(self, func: cst.BaseExpression) -> str | None:
        name = self.context.qualified_name(func)
        if name is not None and "." not in name:
            # `from sklearn.preprocessing import *`: a bare class name from one of these modules.
            if self._star is None:
                self._star = tuple(module for module, statement in self.context.imports.modules
                                   if module in _STAR_MODULES and isinstance(statement, cst.ImportFrom)
                                   and isinstance(statement.names, cst.ImportStar))
            for module in self._star:
                candidate = f"{module}.{name}"
                if _classify(candidate) is not None or candidate == _SPLIT or candidate in _CV_FUNCTIONS \
                        or candidate in _SCALING_FUNCTIONS:
                    return candidate
        return name

    def _call(self, call: cst.Call) -> _Val:
        func = call.func
        receiver = self._eval(func.value) if isinstance(func, cst.Attribute) else _EMPTY
        args = [(arg, self._eval(arg.value)) for arg in call.args]
        positional = [value for arg, value in args if arg.keyword is None and not arg.star]
        keywords = {arg.keyword.value: value for arg, value in args if arg.keyword is not None}
        self._order += 1
        qualified = self._qualified(func) if receiver is _EMPTY else None
        if qualified is not None:
            known = self._known_call(call, qualified, positional, keywords)
            if known is not None:
                return known

        if not isinstance(func, cst.Attribute):
            return _EMPTY
        method = func.attr.value
        est = receiver.est
        data = positional[0] if positional else keywords.get("X", _EMPTY)
        if method in _FITS:
            return self._fit(call, method, est, data, positional, keywords)
        if method in _TRANSFORMS:
            result = data.data()
            if est is not None and est.fitted is not None:
                leak = est.fitted
                if data.half is not None and self._scope.splits.get(data.half.split, -1) > leak.order:
                    self._leak_found(leak, call, f"and then transforms the split `{data.half.name}`")
                result = _Val(result.half, result.leaks | {leak})
            return result
        if method in _PREDICTS:
            if est is None or est.kind not in ("pre", "splitter"):
                self._evaluated(call, [data])
            return _EMPTY
        if method == "split" and est is not None and est.kind == "splitter":
            self._into_cv(call, [data, *positional[1:]], f"split into folds by `{est.label}`")
            return _EMPTY
        if est is not None:
            return _EMPTY
        return receiver.data()  # a method of the data: `X.copy()`, `X.drop(...)`, `X.astype(...)`

    def _known_call(self, call: cst.Call, qualified: str, positional: list[_Val],
                    keywords: dict[str, _Val]) -> _Val | None:
        """The value of a call of a known function or class; None for anything else."""
        if qualified == _SPLIT:
            return self._split(call, positional, len(positional) == len(call.args) or
                               not any(a.star for a in call.args))
        if qualified in _CV_FUNCTIONS:
            self._into_cv(call, [*positional, *keywords.values()], f"cross-validated by `{qualified.rsplit('.', 1)[1]}`")
            self._evaluation_by_metric(call, [*positional, *keywords.values()])
            return _EMPTY
        if qualified.startswith("sklearn.metrics."):
            self._evaluation_by_metric(call, [*positional, *keywords.values()])
            return _EMPTY
        if qualified in _SCALING_FUNCTIONS and positional:
            data = positional[0]
            if data.half is None:
                leak = self._leak(call, "fit", qualified.rsplit(".", 1)[1] + "()", call)
                return _Val(None, data.leaks | {leak})
            return data.data()
        if qualified == "sklearn.utils.resample":
            return self._resample(call, positional)
        if qualified in _NATIVE_TRAIN:
            self._native_train(call, _NATIVE_TRAIN[qualified])
            return _EMPTY
        if qualified in _DATA_WRAPPERS:
            return positional[0].data() if positional else keywords.get("data", _EMPTY).data()
        kind = _classify(qualified)
        if kind is not None:
            if qualified in _COMPOSERS:
                kind = "pre" if any(_classify(self._qualified(n.func) or "") == "pre"
                                    for n in iter_nodes(call) if isinstance(n, cst.Call) and n is not call) else "model"
            if kind == "calibration" and not _prefit(call):
                kind = "model"
            strategy = _keyword(call, "strategy")
            if kind == "pre" and strategy is not None and string_value(strategy.value) == "constant":
                kind = "stateless"  # `SimpleImputer(strategy="constant")` learns nothing from the rows
            return _Val(est=_Est(kind, qualified.rsplit(".", 1)[1], call))
        if qualified.split(".")[0] in ("numpy", "pandas") and positional:
            return _merge([v.data() if v.items is None else _merge([i.data() for i in v.items])
                           for v in positional[:1]])
        return None

    def _leak(self, node: cst.Call, kind: str, who: str, data_call: cst.Call) -> _Leak:
        args = _positional(data_call)
        expr = args[0].value if args else None
        text = self.context.code_for(expr).strip() if expr is not None else None
        if text is not None and (len(text) > 30 or "\n" in text):
            text = None
        return _Leak(node, kind, who, text, self._order)

    def _fit(self, call: cst.Call, method: str, est: _Est | None, data: _Val,
             positional: list[_Val], keywords: dict[str, _Val]) -> _Val:
        self._selection(call, est)
        result = data.data()
        if est is None:
            if method == "fit_resample":
                return _Val(items=(result, positional[1].data() if len(positional) > 1 else _EMPTY))
            return _EMPTY if method == "fit" else result
        if data.half is not None and data.half.test and est.kind not in ("splitter", "stopper", "calibration", "stateless"):
            self._scope.test_fits.append((call, data.half, est.label))
        if est.kind == "search" and method == "fit":
            self._into_cv(call, [data, *positional[1:], *keywords.values()], f"cross-validated by `{est.label}`")
        fitted = est
        if est.kind == "pre" and method in ("fit", "fit_transform"):
            if data.half is None:
                leak = self._leak(call, "fit", est.label, call)
                fitted = replace(est, fitted=leak)
                result = _Val(None, data.leaks | {leak})
            else:
                fitted = replace(est, fitted=None)
            receiver = call.func.value  # type: ignore[attr-defined]
            if isinstance(receiver, cst.Name):
                self._scope.env[receiver.value] = _Val(est=fitted)
        if method == "fit":
            return _Val(est=fitted)
        if method == "fit_resample":
            second = positional[1].data() if len(positional) > 1 else _EMPTY
            if est.kind == "over" and data.half is None:
                leak = self._leak(call, "oversample", est.label, call)
                return _Val(items=(_Val(None, data.leaks | {leak}), _Val(None, second.leaks | {leak})))
            return _Val(items=(result, second))
        return result if method == "fit_transform" else _EMPTY

    def _split(self, call: cst.Call, inputs: list[_Val], plain: bool) -> _Val:
        self._scope.splits[call] = self._order
        for value in inputs:
            for leak in value.leaks:
                self._leak_found(leak, call, "before `train_test_split` splits it")
        if not plain:
            return _EMPTY
        items: list[_Val] = []
        for value in inputs:
            leaks = value.leaks
            items.append(_Val(_Half(call, test=False), leaks))
            items.append(_Val(_Half(call, test=True), leaks))
        return _Val(items=tuple(items))

    def _into_cv(self, call: cst.Call, values: list[_Val], how: str) -> None:
        for value in values:
            for leak in (value.leaks if value.items is None else frozenset().union(*(i.leaks for i in value.items))):
                self._leak_found(leak, call, f"before it is {how}", folds=True)

    def _resample(self, call: cst.Call, positional: list[_Val]) -> _Val:
        replace_arg = _keyword(call, "replace")
        upsampling = replace_arg is None or not _is_false_or_none(replace_arg.value)
        if not upsampling or not positional or any(v.half is not None for v in positional):
            return _merge([v.data() for v in positional]) if positional else _EMPTY
        leak = self._leak(call, "oversample", "resample(replace=True)", call)
        items = tuple(_Val(None, v.leaks | {leak}) for v in positional)
        return items[0] if len(items) == 1 else _Val(items=items)

    def _evaluated(self, call: cst.Call, values: list[_Val]) -> None:
        for value in values:
            half = value.half
            if half is not None and half.test:
                self._scope.evaluated.setdefault(half.split, call)
                self._scope.evaluations.append((call, half))

    # --- hyperparameters chosen on the test split ---

    def _tuning(self, loop: cst.For, evaluations: list[tuple[cst.Call, _Half]]) -> None:
        """`for k in ...:` that builds an estimator with `k`, scores it on a test split and keeps
        the best (an `if score > best:` in the loop, or the scores maximised after it): the test
        split chose `k`, so its score of the chosen model is optimistic."""
        if not evaluations:
            return
        names = {n.value for n in iter_nodes(loop.target) if isinstance(n, cst.Name)}
        parameter = next((name for call in iter_nodes(loop.body) if isinstance(call, cst.Call)
                          for name in [self._hyperparameter(call, names)] if name), None)
        if parameter is None or not self._keeps_best(loop, parameter):
            return
        call, half = evaluations[0]
        self._scope.tunings.append((call, half, parameter))

    def _hyperparameter(self, call: cst.Call, names: set[str]) -> str | None:
        """The loop variable an estimator is built with (`KNeighborsClassifier(n_neighbors=k)`)."""
        qualified = self._qualified(call.func)
        if qualified is None or _classify(qualified) not in ("model", "pre", "search"):
            return None
        for arg in call.args:
            if isinstance(arg.value, cst.Name) and arg.value.value in names:
                return arg.value.value
        return None

    def _keeps_best(self, loop: cst.For, parameter: str) -> bool:
        """An `if score > best:` in the loop that keeps the parameter (`best_k = k`), or a list
        the loop fills that the scope then maximises (`np.argmax(scores)`, `max(scores)`,
        `scores.index(max(...))`)."""
        for node in iter_nodes(loop.body):
            if isinstance(node, cst.If) and isinstance(node.test, cst.Comparison) and any(
                isinstance(c.operator, (cst.GreaterThan, cst.LessThan, cst.GreaterThanEqual, cst.LessThanEqual))
                for c in node.test.comparisons
            ) and any(
                isinstance(n, cst.Assign) and any(isinstance(v, cst.Name) and v.value == parameter
                                                  for v in iter_nodes(n.value))
                for n in iter_nodes(node.body)
            ):
                return True
        filled = {n.func.value.value for n in iter_nodes(loop.body)
                  if isinstance(n, cst.Call) and isinstance(n.func, cst.Attribute) and n.func.attr.value == "append"
                  and isinstance(n.func.value, cst.Name)}
        if not filled:
            return False
        if not self._scope.text:
            self._scope.text = self.context.code_for(self._owner)
        text = self._scope.text
        return any(re.search(rf"\b(arg)?max\(\s*{re.escape(name)}\b|\b{re.escape(name)}\.index\(\s*max\(", text)
                   for name in filled)

    def _evaluation_by_metric(self, call: cst.Call, values: list[_Val]) -> None:
        flat: list[_Val] = []
        for value in values:
            flat.extend(value.items if value.items is not None else (value,))
        self._evaluated(call, flat)

    # --- early stopping and best-model selection on held-out data ---

    def _selection(self, call: cst.Call, est: _Est | None) -> None:
        eval_set = _keyword(call, "eval_set")
        validation = _keyword(call, "validation_data")
        if eval_set is None and validation is None:
            return
        stops = self._stops_early(call) or (est is not None and self._stops_early(est.call))
        if eval_set is not None:
            catboost = est is not None and est.label in ("CatBoostClassifier", "CatBoostRegressor", "CatBoostRanker")
            best = catboost and not any(
                (arg := _keyword(c, "use_best_model")) is not None and _is_false_or_none(arg.value)
                for c in (call, est.call))  # type: ignore[union-attr]
            if stops or best:
                how = "stops training early" if stops else "picks the best iteration (CatBoost's `use_best_model`)"
                for half in self._held_out(eval_set.value):
                    self._scope.selections.append((call, half, how))
        if validation is not None and stops:
            for half in self._held_out(validation.value, pairs=False):
                self._scope.selections.append((call, half, "stops training early"))

    def _native_train(self, call: cst.Call, keyword: str) -> None:
        sets = _keyword(call, keyword)
        if sets is not None and self._stops_early(call):
            for half in self._held_out(sets.value):
                self._scope.selections.append((call, half, "stops training early"))

    def _held_out(self, expr: cst.BaseExpression, *, pairs: bool = True) -> list[_Half]:
        """The test split named by `eval_set=[(X_test, y_test)]`, `(X_test, y_test)`, `Pool(...)`:
        its first half in source order, once per split."""
        found: dict[cst.Call, _Half] = {}

        def walk(value: _Val, top: bool) -> None:
            if value.items is not None:
                for item in value.items[:1] if top and not pairs else value.items:
                    walk(item, top=False)
            elif value.half is not None and value.half.test:
                found.setdefault(value.half.split, value.half)

        walk(self._eval(expr), top=True)
        return list(found.values())

    def _stops_early(self, call: cst.Call) -> bool:
        rounds = _keyword(call, "early_stopping_rounds")
        if rounds is not None and not _is_false_or_none(rounds.value):
            return True
        callbacks = _keyword(call, "callbacks")
        if callbacks is None:
            return False
        for node in iter_nodes(callbacks.value):
            target: cst.BaseExpression | None = None
            if isinstance(node, cst.Call):
                target = node.func
            elif isinstance(node, cst.Name):
                bound = self._scope.env.get(node.value)
                if bound is not None and bound.est is not None and bound.est.kind == "stopper":
                    return True
            if target is not None:
                name = (self.context.qualified_name(target) or "").rsplit(".", 1)[-1]
                if name in ("EarlyStopping", "early_stopping") or (
                        name == "ModelCheckpoint" and _keyword(node, "save_best_only") is not None):  # type: ignore[arg-type]
                    return True
        return False


def _prefit(call: cst.Call) -> bool:
    cv = _keyword(call, "cv")
    return (cv is not None and string_value(cv.value) == "prefit") or any(
        isinstance(n, cst.Call) and isinstance(n.func, (cst.Name, cst.Attribute))
        and (n.func.value if isinstance(n.func, cst.Name) else n.func.attr.value) == "FrozenEstimator"
        for n in iter_nodes(call))


def _classify(qualified: str) -> str | None:
    """The kind of object a call of `qualified` builds, None when it is not a known estimator."""
    module, _, name = qualified.rpartition(".")
    if not name or not name[0].isupper():
        if qualified in _PIPELINES or qualified in _COMPOSERS:
            return "model"
        return None
    if qualified in _SEARCHES:
        return "search"
    if qualified in _SPLITTERS:
        return "splitter"
    if qualified in _COMPOSERS:
        return "model"
    if name in ("EarlyStopping",) and ("keras" in module or module.startswith(("xgboost", "lightgbm"))):
        return "stopper"
    if name == "CalibratedClassifierCV":
        return "calibration"
    if qualified.startswith(_PREPROCESSING):
        if name in _STATELESS:
            return "stateless"
        if name in _CATEGORIES:
            return "model"
        return "pre"
    if qualified.startswith("category_encoders."):
        return "pre" if name in _ENCODERS else "model"
    if qualified.startswith(_OVERSAMPLERS):
        return "over"
    if qualified.startswith("imblearn.under_sampling."):
        return "sampler"
    if qualified.startswith(_ESTIMATOR_LIBRARIES):
        return "model"
    return None
