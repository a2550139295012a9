from .erasure import ErasureRecord, RetentionRun
from .export import DataExport

__all__ = ["DataExport", "ErasureRecord", "RetentionRun"]
