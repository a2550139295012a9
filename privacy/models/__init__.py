from .erasure import ErasureRecord, RetentionRun

__all__ = ["ErasureRecord", "RetentionRun"]
