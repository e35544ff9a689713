"""Declaring exercises and checking answers against a key of salted hashes.

An exercise is declared once, in its chapter's ``kamlib/exercises/chNN.py``, without its
answer::

    exercise("1.2", kind="number", tol=0.0005, hint="Section 2 ranks before it cuts.")

The answer is the source notebook's own solution: ``python -m kamlib.exercises.answer_key``
runs every source notebook in *record* mode, captures the value passed to each
``check("N.k", value)`` and writes ``key.json`` next to this module. The key holds, per
exercise, a random salt and the SHA-256 digest of the answer rounded to its tolerance, the hint,
and each multiple-choice option's feedback encrypted with a key derived from its letter. No
answer is stored as a value, and nothing here recomputes one.

``check`` compares a student's answer with the key and returns a :class:`Feedback`, whose
printed form is one line: correct, not yet (with a hint) or not attempted.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import numbers
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kamlib.errors import ParameterError

KINDS = ("number", "set", "sequence", "text", "choice", "table", "manual")
KEY_PATH = Path(__file__).with_name("key.json")

#: Set by the test suite and the answer-key tool only: "solutions" makes a check that is not
#: correct raise, "release" makes one that is not "not attempted" raise (so running a notebook
#: tests its exercises), "record" appends each checked value to the file named by
#: ``KAMLIB_RECORD_FILE`` (how the answer key is made).
MODE_VARIABLE = "KAMLIB_CHECK_MODE"
RECORD_VARIABLE = "KAMLIB_RECORD_FILE"


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
class Declaration:
    """What an exercise is (instructor side): its kind, tolerance, hint, options and points."""

    exercise_id: str
    kind: str
    hint: str = ""
    tol: float | None = None
    rtol: float = 1e-3
    options: dict[str, str] = field(default_factory=dict)
    points: float = 1
    title: str = ""


_DECLARED: dict[str, Declaration] = {}


_ID = re.compile(r"\d+\.\d+")  # an exercise id: chapter.number, e.g. "2.3"


def exercise(
    exercise_id: str,
    *,
    kind: str = "number",
    hint: str = "",
    tol: float | None = None,
    options: dict[str, str] | None = None,
    points: float | None = None,
    title: str = "",
    rtol: float = 1e-3,
    atol: float | None = None,
    digest: str | None = None,
):
    """Declare an exercise (its answer comes from the source notebook's solution).

    Parameters
    ----------
    exercise_id : str
        ``"N.k"``: chapter N, exercise k. Keep it stable once published.
    kind : str
        number, set, sequence, text, choice, table or manual (a memo graded by hand).
    hint : str
        Shown with every wrong answer: points to the idea or section, never to the answer.
    tol : float, optional
        number and table: absolute tolerance (default: 0.1% of the answer, rounded down to a
        power of ten). An answer within ``tol`` is always accepted, one more than ``2*tol``
        away always rejected.
    options : dict, optional
        choice: letter -> feedback shown when that letter is given (4 or 5 options). The right
        letter's text explains why it is right; the others name their misconception.
    points : float, optional
        Marks in the gradebook (default 1; a manual exercise must give them).
    title : str, optional
        A short title (used in the gradebook and feedback files).
    rtol, atol, digest
        Accepted from the earlier declaration style; ``digest`` is ignored, ``atol`` is read as
        ``tol``.

    Returns
    -------
    callable
        A pass-through decorator, so the earlier ``@exercise(...)`` style still parses (the
        decorated function is not used).
    """
    where = f"kamlib.exercises.exercise({exercise_id!r})"
    if not isinstance(exercise_id, str) or not _ID.fullmatch(exercise_id):
        raise ParameterError(
            f"{where}: the exercise id must be text such as '2.3' (chapter.number), got "
            f"{type(exercise_id).__name__} {exercise_id!r}."
        )
    if kind not in KINDS:
        raise ParameterError(f"{where}: kind must be one of {KINDS}, got {kind!r}.")
    if kind == "manual" and points is None:
        raise ParameterError(f"{where}: a manual (memo) exercise needs points=...")
    if kind == "choice" and not (isinstance(options, dict) and options):
        raise ParameterError(f"{where}: a choice exercise needs options={{letter: feedback}}.")
    if kind != "manual" and not (isinstance(hint, str) and hint.strip()):
        raise ParameterError(f"{where}: give a hint as text (shown with every wrong answer).")
    letters = {_normal_choice(k): str(v) for k, v in (options or {}).items()}
    _DECLARED[str(exercise_id)] = Declaration(
        str(exercise_id),
        kind,
        hint,
        tol if tol is not None else atol,
        rtol,
        letters,
        1 if points is None else points,
        title,
    )
    return lambda func: func


def declarations() -> dict[str, Declaration]:
    """Every declared exercise, importing the instructor's chapter modules (not shipped)."""
    import importlib
    import pkgutil

    package = importlib.import_module("kamlib.exercises")
    for module in pkgutil.iter_modules(package.__path__):
        if module.name.startswith("ch"):
            importlib.import_module(f"kamlib.exercises.{module.name}")
    return dict(_DECLARED)


# ---------------------------------------------------------------------------------------------
# The key: loading, canonical forms and digests
# ---------------------------------------------------------------------------------------------

_KEY_CACHE: dict[str, dict] = {}


def _key() -> dict:
    """The answer key's entries by id (read once from ``key.json``)."""
    if "entries" not in _KEY_CACHE:
        try:
            text = KEY_PATH.read_text(encoding="utf-8")
        except FileNotFoundError:
            text = '{"exercises": {}}'
        _KEY_CACHE["entries"] = json.loads(text)["exercises"]
    return _KEY_CACHE["entries"]


def _id_order(exercise_id: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in exercise_id.replace("-", ".").split("."))


def registered(chapter: int | None = None) -> list[str]:
    """Ids of the exercises in the answer key (all chapters, or one), in natural order."""
    ids = [i for i in _key() if chapter is None or i.split(".")[0] == str(chapter)]
    return sorted(ids, key=_id_order)


def points(exercise_id: str) -> float:
    """Marks an exercise is worth (0 if the id is unknown)."""
    entry = _key().get(str(exercise_id))
    return 0 if entry is None else entry["points"]


def _digest(salt: str, exercise_id: str, canonical: str) -> str:
    return hashlib.sha256(f"{salt}|{exercise_id}|{canonical}".encode()).hexdigest()


def _normal_text(text) -> str:
    return " ".join(str(text).split()).casefold()


def _normal_choice(text) -> str:
    return _normal_text(text).strip("().: ")


def answer_hash(text: str) -> str:
    """SHA-256 of an answer written as text, after trimming and lower-casing it (unsalted)."""
    return hashlib.sha256(_normal_text(text).encode("utf-8")).hexdigest()


def _item_text(item) -> str:
    if hasattr(item, "item") and not isinstance(item, str | bytes):
        item = item.item()  # NumPy scalar -> Python
    if isinstance(item, float) and item.is_integer():
        item = int(item)
    return str(item).strip()


def _bin(value: float, step: float) -> int:
    return math.floor(value / step)


def canonical(kind: str, value, *, step: float | None = None, columns=None) -> str:
    """The text that is hashed for an answer of this kind (numbers binned by ``step``)."""
    if kind == "number":
        return str(_bin(float(value), step))
    if kind in ("text",):
        return _normal_text(value)
    if kind == "choice":
        return _normal_choice(value)
    if kind == "set":
        return json.dumps(sorted({_item_text(v) for v in value}))
    if kind == "sequence":
        return json.dumps([_item_text(v) for v in value])
    if kind == "table":
        return _canonical_table(value, step, columns)
    raise ValueError(f"no canonical form for kind {kind!r}")


def _canonical_table(frame, step: float, columns) -> str:
    import pandas as pd

    if isinstance(frame, pd.Series):
        frame = frame.to_frame("value")
    frame = frame[list(columns)]
    frame = frame.set_axis([str(i) for i in frame.index]).sort_index()
    rows = []
    for _, row in frame.iterrows():
        cells = []
        for v in row:
            if isinstance(v, numbers.Real) and not isinstance(v, bool):
                cells.append(math.floor(float(v) / step + 0.5))
            else:
                cells.append(_item_text(v))
        rows.append(cells)
    return json.dumps({"index": list(frame.index), "data": rows})


def _stream_key(salt: str, exercise_id: str, letter: str, length: int) -> bytes:
    out = b""
    counter = 0
    while len(out) < length:
        block = f"{salt}|{exercise_id}|feedback|{letter}|{counter}".encode()
        out += hashlib.sha256(block).digest()
        counter += 1
    return out[:length]


def _seal(salt: str, exercise_id: str, letter: str, text: str) -> tuple[str, str]:
    """(tag, ciphertext) of an option's feedback: readable only by giving that letter."""
    data = text.encode("utf-8")
    key = _stream_key(salt, exercise_id, letter, len(data))
    tag = _digest(salt, exercise_id, f"option|{letter}")[:24]
    return tag, base64.b64encode(bytes(a ^ b for a, b in zip(data, key, strict=True))).decode()


def _unseal(entry: dict, exercise_id: str, letter: str) -> str | None:
    tag = _digest(entry["salt"], exercise_id, f"option|{letter}")[:24]
    sealed = entry.get("options", {}).get(tag)
    if sealed is None:
        return None
    data = base64.b64decode(sealed)
    key = _stream_key(entry["salt"], exercise_id, letter, len(data))
    return bytes(a ^ b for a, b in zip(data, key, strict=True)).decode("utf-8")


# ---------------------------------------------------------------------------------------------
# Checking
# ---------------------------------------------------------------------------------------------


def _not_attempted(answer) -> bool:
    if answer is ... or answer is None or answer is NotImplemented:
        return True
    return isinstance(answer, str) and answer.strip() in ("", "...")


def check(exercise_id: str, answer) -> Feedback:
    """Compare ``answer`` with exercise ``exercise_id``; never raises at the student."""
    exercise_id = str(exercise_id)
    mode = os.environ.get(MODE_VARIABLE, "")
    if mode == "record":
        return _record(exercise_id, answer)
    feedback = _check(exercise_id, answer)
    wanted = {"solutions": "correct", "release": "not attempted"}.get(mode)
    if wanted is not None and feedback.status != wanted:
        raise AssertionError(f"{MODE_VARIABLE}={mode}: {feedback!r}")
    return feedback


def _record(exercise_id: str, answer) -> Feedback:
    path = os.environ.get(RECORD_VARIABLE)
    if not path:
        raise RuntimeError(f"{MODE_VARIABLE}=record needs {RECORD_VARIABLE}=<file>")
    line = json.dumps({"id": exercise_id, "value": to_jsonable(answer)})
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(line + "\n")
    return Feedback(exercise_id, "recorded", "answer recorded for the key.")


def _check(exercise_id: str, answer, key: dict | None = None) -> Feedback:
    entry = (_key() if key is None else key).get(exercise_id)
    if entry is None:
        return Feedback(exercise_id, "incorrect", "no exercise has this number; check the id.")
    if entry["kind"] == "manual":
        return Feedback(exercise_id, "not attempted", "this memo is graded by your instructor.")
    if _not_attempted(answer):
        return Feedback(
            exercise_id, "not attempted", "not attempted yet: replace ... with your answer."
        )
    try:
        right, message = _compare(entry, exercise_id, answer)
    except Exception as exc:  # a student's odd answer must not crash the notebook
        right, message = False, f"your answer could not be compared ({type(exc).__name__}). "
        message += entry["hint"]
    if right:
        return Feedback(exercise_id, "correct", f"correct. {message}".strip())
    return Feedback(exercise_id, "incorrect", f"not yet: {message}")


def _matches(entry: dict, exercise_id: str, canonical_text: str) -> bool:
    return _digest(entry["salt"], exercise_id, canonical_text) == entry["digest"]


def _compare(entry: dict, exercise_id: str, answer) -> tuple[bool, str]:
    """(right?, message): the message never reveals the expected answer."""
    kind, hint = entry["kind"], entry["hint"]
    if kind == "number":
        return _compare_number(entry, exercise_id, answer)
    if kind in ("text", "choice"):
        if not isinstance(answer, str | numbers.Number):
            return False, f"give your answer as text, e.g. 'b'. {hint}"
        if kind == "text":
            right = _matches(entry, exercise_id, _normal_text(answer))
            return right, "" if right else hint
        letter = _normal_choice(answer)
        said = _unseal(entry, exercise_id, letter)
        if _matches(entry, exercise_id, letter):
            return True, said or ""
        if said is None:
            return False, f"'{answer}' is not one of the options; answer with a letter. {hint}"
        return False, f"{said} {hint}"
    if kind in ("set", "sequence"):
        given = _as_list(answer)
        if given is None:
            return False, f"expected a list of values, got {type(answer).__name__}. {hint}"
        if _matches(entry, exercise_id, canonical(kind, given)):
            return True, ""
        as_set = _digest(entry["salt"], exercise_id, canonical("set", given))
        if kind == "sequence" and as_set == entry.get("set_digest"):
            return False, f"the right items, in the wrong order. {hint}"
        return False, hint
    return _compare_table(entry, exercise_id, answer)


def _as_number(answer) -> float | None:
    if isinstance(answer, bool):
        return None
    if isinstance(answer, numbers.Real):
        return float(answer)
    size = getattr(answer, "size", None)
    if size == 1 and hasattr(answer, "__array__"):
        import numpy as np

        value = np.asarray(answer).ravel()[0]
        return float(value) if isinstance(value, numbers.Real) else None
    return None


def _number_matches(entry: dict, exercise_id: str, value: float) -> bool:
    step = entry["step"]
    bin_ = _bin(value, step)
    return any(_matches(entry, exercise_id, str(bin_ + d)) for d in (-1, 0, 1))


def _compare_number(entry: dict, exercise_id: str, answer) -> tuple[bool, str]:
    hint = entry["hint"]
    value = _as_number(answer)
    if value is None:
        return False, f"expected a single number, got {type(answer).__name__}. {hint}"
    if math.isnan(value) or math.isinf(value):
        return False, f"your answer is not a finite number; look for missing values. {hint}"
    if _number_matches(entry, exercise_id, value):
        return True, ""
    if value != 0 and _number_matches(entry, exercise_id, value / 100):
        return False, "that looks like a percentage; give it as a share between 0 and 1."
    if value != 0 and _number_matches(entry, exercise_id, value * 100):
        return False, "that looks like a share; give it as a percentage."
    return False, hint


def _as_list(answer) -> list | None:
    if isinstance(answer, str | bytes | dict) or not isinstance(answer, Iterable):
        return None
    if hasattr(answer, "columns"):  # a DataFrame iterates over its column names
        return None
    return list(answer)


def _compare_table(entry: dict, exercise_id: str, answer) -> tuple[bool, str]:
    import pandas as pd

    hint = entry["hint"]
    if entry.get("series"):
        if not isinstance(answer, pd.Series):
            return False, f"expected a pandas Series, got {type(answer).__name__}. {hint}"
    elif not isinstance(answer, pd.DataFrame):
        return False, f"expected a pandas DataFrame, got {type(answer).__name__}. {hint}"
    frame = answer.to_frame("value") if isinstance(answer, pd.Series) else answer
    missing = [c for c in entry["columns"] if c not in frame.columns]
    if missing:
        return False, f"column(s) {missing} are missing. {hint}"
    if len(frame) != entry["rows"]:
        return False, f"{len(frame)} row(s) given, {entry['rows']} expected. {hint}"
    text = canonical("table", frame, step=entry["step"], columns=entry["columns"])
    if _matches(entry, exercise_id, text):
        return True, ""
    return False, f"some values or row labels differ from those expected. {hint}"


# ---------------------------------------------------------------------------------------------
# Answers as data (for the answer key and for grading outside the student's kernel)
# ---------------------------------------------------------------------------------------------


def to_jsonable(value) -> dict:
    """An answer as plain JSON data: number, text, list or table (else its type's name)."""
    if _not_attempted(value):
        return {"type": "blank"}
    if isinstance(value, bool):
        return {"type": "text", "value": str(value)}
    if isinstance(value, str):
        return {"type": "text", "value": value}
    number = _as_number(value)
    plain_number = not hasattr(value, "index") or getattr(value, "size", 0) == 1
    if number is not None and not hasattr(value, "columns") and plain_number:
        return {"type": "number", "value": number}
    if hasattr(value, "to_dict") and hasattr(value, "index"):
        if hasattr(value, "columns"):
            frame, series = value, False
        else:
            frame, series = value.to_frame("value"), True
        return {
            "type": "table",
            "series": series,
            "columns": [str(c) for c in frame.columns],
            "index": [_item_text(i) for i in frame.index],
            "data": [[_plain(v) for v in row] for row in frame.itertuples(index=False)],
        }
    listed = _as_list(value)
    if listed is not None:
        if isinstance(value, set | frozenset):  # no order of its own: keep the record stable
            listed = sorted(listed, key=str)
        return {"type": "list", "value": [_plain(v) for v in listed]}
    return {"type": "other", "value": type(value).__name__}


def _plain(v):
    if hasattr(v, "item") and not isinstance(v, str | bytes):
        v = v.item()
    if isinstance(v, bool | int | float | str) or v is None:
        return None if isinstance(v, float) and math.isnan(v) else v
    return str(v)


def from_jsonable(data: dict):
    """The answer back from :func:`to_jsonable` (tables as pandas objects)."""
    kind = data.get("type")
    if kind == "blank":
        return ...
    if kind in ("text", "number", "list"):
        return data["value"]
    if kind == "table":
        import pandas as pd

        frame = pd.DataFrame(data["data"], index=data["index"], columns=data["columns"])
        return frame["value"] if data.get("series") else frame
    return _Unreadable(data.get("value", "?"))


class _Unreadable:
    """Stands for an answer of a type that cannot be graded (e.g. a function)."""

    def __init__(self, type_name: str):
        self.type_name = type_name

    def __repr__(self) -> str:
        return f"<{self.type_name}>"


def check_data(exercise_id: str, data: dict, key: dict | None = None) -> Feedback:
    """Check an answer captured as data (used by the grader, outside the student's kernel).

    ``key`` replaces the entries of ``key.json`` (e.g. a test's key).
    """
    return _check(str(exercise_id), from_jsonable(data), key)
