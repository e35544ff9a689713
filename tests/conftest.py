"""Shared pytest hooks: a summary of how long each notebook took to run."""

from __future__ import annotations


def pytest_terminal_summary(terminalreporter):
    """List how long each notebook took to run (recorded by tests/test_notebooks.py)."""
    rows = []
    for report in terminalreporter.stats.get("passed", []):
        for name, value in getattr(report, "user_properties", []):
            if name in ("notebook_seconds", "release_seconds"):
                rows.append((report.nodeid.split("[")[-1].rstrip("]"), name, value))
    if rows:
        terminalreporter.section("notebook run times (seconds)")
        for notebook, name, value in sorted(rows):
            kind = "solutions" if name == "notebook_seconds" else "student release"
            terminalreporter.write_line(f"{notebook:45s} {kind:16s} {value:6.1f}")
