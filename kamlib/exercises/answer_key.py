"""Make the answer key from the source notebooks' own solutions (instructor tool, not shipped).

``python -m kamlib.exercises.answer_key`` runs every ``notebooks/*.ipynb`` with
``KAMLIB_CHECK_MODE=record``: each ``check("N.k", value)`` appends its value to a record file
instead of checking it. The values, with the declarations of ``kamlib/exercises/chNN.py``,
give two files:

- ``kamlib/exercises/answers.json``: the plain answers (instructor only; the release leaves it
  out, and the leak test proves no release file contains them);
- ``kamlib/exercises/key.json``: per exercise a random salt (kept from the previous key), the
  salted SHA-256 digest of the answer rounded to its tolerance, the hint, the points, and each
  choice option's feedback sealed with a key derived from its letter. ``check`` reads only this.

``--no-run`` rebuilds key.json from answers.json without running the notebooks (after editing a
hint, an option text or the points).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import secrets
import sys
import tempfile
import time
from pathlib import Path

from kamlib.exercises import core

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
ANSWERS_PATH = Path(__file__).with_name("answers.json")


class AnswerKeyError(Exception):
    """The notebooks and the declarations do not fit together."""


def run_notebook(path: Path, *, env: dict[str, str], timeout: int = 300):
    """Execute one notebook in its folder on an ipc kernel with extra environment variables."""
    import nbformat
    from jupyter_client.manager import AsyncKernelManager
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory(prefix="kamlib-key-") as sockets:
        # The async manager: with the blocking one nbclient does not enforce the cell timeout.
        manager = AsyncKernelManager(kernel_name="python3", transport="ipc", ip=f"{sockets}/kernel")
        client = NotebookClient(
            nb, km=manager, timeout=timeout, resources={"metadata": {"path": str(path.parent)}}
        )
        saved = {k: os.environ.get(k) for k in env}
        os.environ.update(env)
        try:
            client.execute()
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
    return nb


def record(paths: list[Path], failed: dict[str, str] | None = None) -> dict[str, dict]:
    """Run the notebooks in record mode; return {id: {"value": jsonable, "notebook": name}}.

    A notebook that fails is reported in ``failed`` (name -> last line of the error) and
    contributes nothing.
    """
    from nbclient.exceptions import CellExecutionError

    recorded: dict[str, dict] = {}
    failed = {} if failed is None else failed
    for path in paths:
        start = time.perf_counter()
        with tempfile.TemporaryDirectory(prefix="kamlib-record-") as tmp:
            out = Path(tmp) / "record.jsonl"
            out.touch()
            try:
                run_notebook(
                    path, env={core.MODE_VARIABLE: "record", core.RECORD_VARIABLE: str(out)}
                )
            except CellExecutionError as exc:
                last = [ln for ln in str(exc).splitlines() if ln.strip()][-1]
                failed[path.name] = last
                print(f"{path.name}: FAILED: {last}", file=sys.stderr)
                continue
            lines = out.read_text(encoding="utf-8").splitlines()
        for line in lines:
            item = json.loads(line)
            if item["id"] in recorded and recorded[item["id"]]["notebook"] != path.name:
                raise AnswerKeyError(
                    f"exercise {item['id']} is checked in {recorded[item['id']]['notebook']} "
                    f"and in {path.name}; give one of them a new id."
                )
            recorded[item["id"]] = {"value": item["value"], "notebook": path.name}
        print(f"{path.name}: {len(lines)} answer(s) in {time.perf_counter() - start:.0f} s")
    return recorded


def _step(decl: core.Declaration, value: float) -> float:
    if decl.tol is not None:
        if decl.tol <= 0:
            raise AnswerKeyError(f"exercise {decl.exercise_id}: tol must be > 0")
        return float(decl.tol)
    scale = abs(value) * decl.rtol
    return 10.0 ** math.floor(math.log10(scale)) if scale > 0 else 1e-9


def build_key(
    declared: dict[str, core.Declaration],
    answers: dict[str, dict],
    old: dict | None = None,
    *,
    skip_unrecorded: bool = False,
) -> dict:
    """The key (as written to key.json) from declarations and recorded answers.

    With ``skip_unrecorded`` an exercise no notebook checked is left out (with a warning)
    instead of being an error.
    """
    old = old or {}
    problems = []
    recorded_ids = set(answers)
    for eid, decl in list(declared.items()):
        if decl.kind != "manual" and eid not in recorded_ids:
            if skip_unrecorded:
                print(f"warning: exercise {eid} left out: no answer recorded", file=sys.stderr)
                declared = {k: v for k, v in declared.items() if k != eid}
            else:
                problems.append(f"exercise {eid} is declared but no notebook checks it")
    for eid in recorded_ids - set(declared):
        problems.append(f"exercise {eid} is checked in {answers[eid]['notebook']} but not declared")
    entries = {}
    for eid in sorted(declared, key=core._id_order):
        decl = declared[eid]
        salt = old.get(eid, {}).get("salt") or secrets.token_hex(16)
        entry = {"kind": decl.kind, "points": decl.points, "salt": salt, "title": decl.title}
        if decl.kind != "manual":
            entry["hint"] = decl.hint
        if decl.kind == "manual" or eid not in answers:
            entries[eid] = entry
            continue
        data = answers[eid]["value"]
        value = core.from_jsonable(data)
        try:
            entry.update(_answer_fields(decl, value, data, salt))
        except AnswerKeyError as exc:
            problems.append(str(exc))
            continue
        entries[eid] = entry
    if problems:
        raise AnswerKeyError("the answer key cannot be made:\n- " + "\n- ".join(problems))
    return {"version": 1, "exercises": entries}


def _answer_fields(decl: core.Declaration, value, data: dict, salt: str) -> dict:
    eid, kind = decl.exercise_id, decl.kind
    where = f"exercise {eid} ({kind})"
    if data["type"] == "blank":
        raise AnswerKeyError(f"{where}: the notebook's solution leaves the answer blank")
    if kind == "number":
        if data["type"] != "number":
            raise AnswerKeyError(f"{where}: the solution is a {data['type']}, not a number")
        step = _step(decl, value)
        return {
            "step": step,
            "digest": core._digest(salt, eid, core.canonical(kind, value, step=step)),
        }
    if kind in ("text", "choice"):
        if data["type"] not in ("text", "number"):
            raise AnswerKeyError(f"{where}: the solution is a {data['type']}, not text")
        fields = {"digest": core._digest(salt, eid, core.canonical(kind, value))}
        if kind == "choice":
            letter = core._normal_choice(value)
            if not 4 <= len(decl.options) <= 5:
                raise AnswerKeyError(f"{where}: give 4 or 5 options, not {len(decl.options)}")
            if letter not in decl.options:
                raise AnswerKeyError(f"{where}: the solution {value!r} is not one of the options")
            sealed = dict(
                core._seal(salt, eid, k, text) for k, text in sorted(decl.options.items())
            )
            fields["options"] = dict(sorted(sealed.items()))
        return fields
    if kind in ("set", "sequence"):
        if data["type"] == "table" and data.get("series"):
            value = [row[0] for row in data["data"]]  # a Series of ids: its values
        elif data["type"] != "list":
            raise AnswerKeyError(f"{where}: the solution is a {data['type']}, not a list")
        fields = {"digest": core._digest(salt, eid, core.canonical(kind, value))}
        if kind == "sequence":  # lets the check say "right items, wrong order"
            fields["set_digest"] = core._digest(salt, eid, core.canonical("set", value))
        return fields
    if kind == "table":
        if data["type"] != "table":
            raise AnswerKeyError(f"{where}: the solution is a {data['type']}, not a table")
        step = float(decl.tol) if decl.tol else 1e-6
        columns = data["columns"]
        text = core.canonical(kind, value, step=step, columns=columns)
        return {
            "step": step,
            "columns": columns,
            "rows": len(data["index"]),
            "series": bool(data.get("series")),
            "digest": core._digest(salt, eid, text),
        }
    raise AnswerKeyError(f"{where}: unknown kind")


def _write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def _old_key() -> dict:
    if core.KEY_PATH.exists():
        return json.loads(core.KEY_PATH.read_text(encoding="utf-8"))["exercises"]
    return {}


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m kamlib.exercises.answer_key [--no-run] [NOTEBOOK ...]``."""
    parser = argparse.ArgumentParser(prog="python -m kamlib.exercises.answer_key")
    parser.add_argument("notebooks", nargs="*", help="source notebooks to run again (default: all)")
    parser.add_argument(
        "--no-run", action="store_true", help="reuse answers.json instead of running notebooks"
    )
    parser.add_argument(
        "--keep-going",
        action="store_true",
        help="when a notebook fails, keep its previous answers (or leave its exercises out)",
    )
    args = parser.parse_args(argv)
    failed: dict[str, str] = {}
    answers = json.loads(ANSWERS_PATH.read_text(encoding="utf-8")) if ANSWERS_PATH.exists() else {}
    if not args.no_run:
        paths = [Path(p) for p in args.notebooks] or sorted(NOTEBOOKS.glob("*.ipynb"))
        fresh = record(paths, failed)
        if failed and not args.keep_going:
            print(
                f"error: {len(failed)} notebook(s) failed, nothing written (fix them, or use "
                f"--keep-going to keep their previous answers)",
                file=sys.stderr,
            )
            return 1
        ran = {p.name for p in paths} - set(failed)
        answers = {k: v for k, v in answers.items() if v["notebook"] not in ran}
        answers.update(fresh)
    try:
        key = build_key(core.declarations(), answers, _old_key(), skip_unrecorded=args.keep_going)
    except AnswerKeyError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    _write_json(ANSWERS_PATH, dict(sorted(answers.items(), key=lambda kv: core._id_order(kv[0]))))
    _write_json(core.KEY_PATH, key)
    print(f"Wrote {core.KEY_PATH.name} ({len(key['exercises'])} exercises) and {ANSWERS_PATH.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
