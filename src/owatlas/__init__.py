"""Open Weight Atlas: the open-weight AI landscape as a validated, versioned dataset.

>>> import owatlas
>>> models = owatlas.load("models")             # pandas DataFrame, from the bundled release
>>> owatlas.load("licences", format="arrow")    # or a pyarrow.Table ("polars" too)
>>> owatlas.path("models", kind="csv")          # the file itself
"""

from .loader import LoadError, load, path, tables, versions

__version__ = "0.1.0"
__data_version__ = "2026.11.3"

__all__ = ["LoadError", "__data_version__", "__version__", "load", "path", "tables", "versions"]
