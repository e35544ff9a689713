"""The exceptions kamlib raises.

Every error is a :class:`KamlibError`, itself a :class:`ValueError`, so code that already
catches ``ValueError`` keeps working. Messages name the function, the column or parameter,
what was found and how to fix it.
"""


class KamlibError(ValueError):
    """Base class of every error kamlib raises on purpose."""


class DataError(KamlibError):
    """A table does not fit what a function expects (columns, types, values)."""


class ParameterError(KamlibError):
    """A keyword argument is out of range or of the wrong kind."""


class NotFittedError(KamlibError, AttributeError):
    """A model was used before ``fit`` was called."""


class FitError(KamlibError):
    """A model could not be fitted (the optimiser failed or the data cannot identify it)."""
