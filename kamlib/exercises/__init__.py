"""Instant feedback on the workbook exercises.

In a notebook::

    from kamlib.exercises import check
    answer = ...            # the student replaces ... with their answer
    check("1.2", answer)    # -> correct / not yet: <hint> / not attempted

No expected answer is stored as a value and nothing here recomputes one: ``check`` compares the
answer, rounded to its tolerance, with a salted SHA-256 digest from ``key.json``, the key that
``python -m kamlib.exercises.answer_key`` makes from the source notebooks' own solutions. A
check never raises at the student; a wrong answer gets a hint instead.
"""

from kamlib.exercises.core import Feedback, answer_hash, check, exercise, registered

__all__ = ["Feedback", "answer_hash", "check", "exercise", "registered"]
