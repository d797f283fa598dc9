"""Open Weight Atlas: the open-weight AI landscape as a validated, versioned dataset."""

__version__ = "0.1.0"
__data_version__ = "2026.11.0"

__all__ = ["__data_version__", "__version__"]
