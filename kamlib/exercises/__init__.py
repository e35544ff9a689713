"""Instant feedback on the workbook exercises.

In a notebook::

    from kamlib.exercises import check
    answer = ...            # the student replaces ... with their answer
    check("1.2", answer)    # -> correct / not yet: <hint> / not attempted

The expected answers are never stored as plain text: most are recomputed from the course data
when the check runs, the rest are compared by their SHA-256 hash. A check never raises at the
student; a faulty answer gets a hint instead.

Exercises are declared chapter by chapter in ``kamlib/exercises/chNN.py`` with the
:func:`~kamlib.exercises.core.exercise` decorator; ``check("N.k", ...)`` loads chapter N.
"""

from kamlib.exercises.core import Feedback, answer_hash, check, exercise, registered

__all__ = ["Feedback", "answer_hash", "check", "exercise", "registered"]
