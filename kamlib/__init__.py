"""kamlib: key account management, relationship marketing and CRM analytics.

The library behind the open course. Topic modules (``kamlib.concentration``,
``kamlib.datasets``, ``kamlib.exercises``, ...) load on first use, so ``import kamlib`` stays
fast and has no side effects: it changes no plot style and no warning filter.

>>> import kamlib
>>> kamlib.datasets.names()[:3]
['accounts', 'orders', 'order_lines']
"""

from __future__ import annotations

import importlib
import pkgutil

from kamlib.errors import DataError, FitError, KamlibError, NotFittedError, ParameterError

__version__ = "0.1.0"

__all__ = [
    "DataError",
    "FitError",
    "KamlibError",
    "NotFittedError",
    "ParameterError",
    "__version__",
]


def _submodules() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))


def __getattr__(name: str):
    # Load topic modules lazily: pandas, scipy and matplotlib cost seconds to import.
    if name in _submodules():
        module = importlib.import_module(f"kamlib.{name}")
        globals()[name] = module
        return module
    raise AttributeError(f"module 'kamlib' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_submodules()))
