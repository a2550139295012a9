from .export import DataExport

__all__ = ["DataExport"]
