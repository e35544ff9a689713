"""Declaring exercises and checking answers.

An exercise is declared once, next to its chapter's others::

    @exercise("1.2", kind="number", hint="Sort accounts by revenue before cutting at 20%.")
    def _():
        return <the expected value, recomputed from the course data>

or, for an answer that is a word or a letter, by its hash::

    exercise("1.5", kind="text", digest=answer_hash("b"), hint="...")

``check`` compares a student's answer with the expected one and returns a :class:`Feedback`,
whose printed form is one line: correct, not yet (with a hint) or not attempted.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import math
import numbers
import os
import pkgutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

KINDS = ("number", "set", "sequence", "table", "text")


@dataclass(frozen=True)
class Feedback:
    """The result of a check: ``status`` is 'correct', 'incorrect' or 'not attempted'."""

    exercise_id: str
    status: str
    message: str

    @property
    def correct(self) -> bool:
        return self.status == "correct"

    def __repr__(self) -> str:
        mark = {"correct": "✅", "incorrect": "❌", "not attempted": "⏳"}.get(self.status, "•")
        return f"{mark} Exercise {self.exercise_id}: {self.message}"

    __str__ = __repr__


@dataclass(frozen=True)
class Exercise:
    exercise_id: str
    kind: str
    hint: str
    expected: Callable[[], object] | None = None
    digest: str | None = None
    rtol: float = 1e-3
    atol: float = 1e-9


_REGISTRY: dict[str, Exercise] = {}


def answer_hash(text: str) -> str:
    """SHA-256 of an answer written as text, after trimming and lower-casing it."""
    normal = " ".join(str(text).split()).casefold()
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


def exercise(
    exercise_id: str,
    *,
    kind: str = "number",
    hint: str,
    digest: str | None = None,
    rtol: float = 1e-3,
    atol: float = 1e-9,
):
    """Declare an exercise; used as a decorator on the function computing the expected answer.

    With ``kind="text"`` pass ``digest`` (see :func:`answer_hash`) instead of decorating.
    """
    if kind not in KINDS:
        raise ValueError(f"exercise {exercise_id}: kind must be one of {KINDS}, got {kind!r}")

    def register(func: Callable[[], object] | None):
        cached = functools.lru_cache(maxsize=1)(func) if func is not None else None
        _REGISTRY[exercise_id] = Exercise(exercise_id, kind, hint, cached, digest, rtol, atol)
        return func

    if kind == "text":
        if digest is None:
            raise ValueError(f"exercise {exercise_id}: a text exercise needs a digest")
        return register(None)
    return register


def _load_chapter(prefix: str = "ch") -> None:
    """Import the exercise modules whose names start with ``prefix`` (e.g. 'ch05')."""
    package = importlib.import_module("kamlib.exercises")
    for module in pkgutil.iter_modules(package.__path__):
        if module.name.startswith(prefix):
            importlib.import_module(f"kamlib.exercises.{module.name}")


def registered(chapter: int | None = None) -> list[str]:
    """Ids of the declared exercises (all chapters, or one), in natural order."""
    _load_chapter()
    ids = [i for i in _REGISTRY if chapter is None or i.split(".")[0] == str(chapter)]
    return sorted(ids, key=lambda i: tuple(int(p) for p in i.split(".")))


def _lookup(exercise_id: str) -> Exercise | None:
    chapter = exercise_id.split(".")[0]
    if exercise_id not in _REGISTRY and chapter.isdigit():
        _load_chapter(f"ch{int(chapter):02d}")
    return _REGISTRY.get(exercise_id)


def _not_attempted(answer) -> bool:
    if answer is ... or answer is None or answer is NotImplemented:
        return True
    return isinstance(answer, str) and answer.strip() in ("", "...")


#: Set by the test suite only: "solutions" makes a check that is not correct raise, "release"
#: makes one that is not "not attempted" raise, so that running a notebook tests its exercises.
MODE_VARIABLE = "KAMLIB_CHECK_MODE"


def check(exercise_id: str, answer) -> Feedback:
    """Compare ``answer`` with exercise ``exercise_id``; never raises at the student."""
    feedback = _check(str(exercise_id), answer)
    mode = os.environ.get(MODE_VARIABLE, "")
    wanted = {"solutions": "correct", "release": "not attempted"}.get(mode)
    if wanted is not None and feedback.status != wanted:
        raise AssertionError(f"{MODE_VARIABLE}={mode}: {feedback!r}")
    return feedback


def _check(exercise_id: str, answer) -> Feedback:
    spec = _lookup(exercise_id)
    if spec is None:
        return Feedback(exercise_id, "incorrect", "no exercise has this number; check the id.")
    if _not_attempted(answer):
        return Feedback(
            exercise_id, "not attempted", "not attempted yet: replace ... with your answer."
        )
    try:
        problem = _compare(spec, answer)
    except Exception as exc:  # a student's odd answer must not crash the notebook
        problem = f"your answer could not be compared ({type(exc).__name__}). {spec.hint}"
    if problem is None:
        return Feedback(exercise_id, "correct", "correct. Well done!")
    return Feedback(exercise_id, "incorrect", f"not yet: {problem}")


def _compare(spec: Exercise, answer) -> str | None:
    """Return None when right, else a hint that never reveals the expected answer."""
    if spec.kind == "text":
        if not isinstance(answer, str | numbers.Number):
            return f"give your answer as text, e.g. 'b'. {spec.hint}"
        return None if answer_hash(str(answer)) == spec.digest else spec.hint
    expected = spec.expected()
    if spec.kind == "number":
        return _compare_number(spec, answer, expected)
    if spec.kind in ("set", "sequence"):
        return _compare_collection(spec, answer, expected)
    return _compare_table(spec, answer, expected)


def _as_number(answer) -> float | None:
    if isinstance(answer, bool):
        return None
    if isinstance(answer, numbers.Real):
        return float(answer)
    if isinstance(answer, np.ndarray | pd.Series | pd.DataFrame) and answer.size == 1:
        value = np.asarray(answer).ravel()[0]
        return float(value) if isinstance(value, numbers.Real) else None
    return None


def _compare_number(spec: Exercise, answer, expected) -> str | None:
    value = _as_number(answer)
    if value is None:
        return f"expected a single number, got {type(answer).__name__}. {spec.hint}"
    if math.isnan(value):
        return f"your answer is NaN (not a number); look for missing values. {spec.hint}"
    if math.isclose(value, expected, rel_tol=spec.rtol, abs_tol=spec.atol):
        return None
    if expected != 0 and math.isclose(value, 100 * expected, rel_tol=spec.rtol):
        return "that looks like a percentage; give it as a share between 0 and 1."
    if expected != 0 and math.isclose(value, expected / 100, rel_tol=spec.rtol):
        return "that looks like a share; give it as a percentage."
    return spec.hint


def _as_list(answer) -> list | None:
    if isinstance(answer, str | bytes | dict | pd.DataFrame) or not isinstance(answer, Iterable):
        return None
    return [a.item() if isinstance(a, np.generic) else a for a in answer]


def _compare_collection(spec: Exercise, answer, expected) -> str | None:
    given = _as_list(answer)
    if given is None:
        return f"expected a list of values, got {type(answer).__name__}. {spec.hint}"
    wanted = list(expected)
    if spec.kind == "sequence":
        if given == wanted:
            return None
        if sorted(map(str, given)) == sorted(map(str, wanted)):
            return f"the right items, in the wrong order. {spec.hint}"
        return f"{len(given)} item(s) given, {len(wanted)} expected. {spec.hint}"
    if set(given) == set(wanted):
        return None
    right = len(set(given) & set(wanted))
    return f"{right} of your {len(set(given))} item(s) are right, {len(set(wanted))} expected. {spec.hint}"


def _compare_table(spec: Exercise, answer, expected) -> str | None:
    if isinstance(expected, pd.Series):
        if not isinstance(answer, pd.Series):
            return f"expected a pandas Series, got {type(answer).__name__}. {spec.hint}"
        answer, expected = answer.to_frame("value"), expected.to_frame("value")
    elif not isinstance(answer, pd.DataFrame):
        return f"expected a pandas DataFrame, got {type(answer).__name__}. {spec.hint}"
    missing = [c for c in expected.columns if c not in answer.columns]
    if missing:
        return f"column(s) {missing} are missing. {spec.hint}"
    if len(answer) != len(expected):
        return f"{len(answer)} row(s) given, {len(expected)} expected. {spec.hint}"
    got = answer[list(expected.columns)].sort_index()
    want = expected.sort_index()
    if not got.index.equals(want.index):
        return f"the row labels (index) differ from those expected. {spec.hint}"
    for column in want.columns:
        a, b = got[column], want[column]
        if pd.api.types.is_numeric_dtype(b) and not pd.api.types.is_bool_dtype(b):
            close = np.isclose(pd.to_numeric(a, errors="coerce"), b, rtol=spec.rtol, atol=spec.atol)
            if not close.all():
                return f"values in column '{column}' differ. {spec.hint}"
        elif not (a.astype(str).to_numpy() == b.astype(str).to_numpy()).all():
            return f"values in column '{column}' differ. {spec.hint}"
    return None
