"""Readers for the raw published files, one module per source family.

Each reader takes the raw folder, checks what it reads (files, columns, codes, numbers,
duplicates, category totals) and returns a tidy DataFrame, or raises
:class:`equity.sources._read.IngestError` naming the file, row and column at fault.
"""

from equity.sources._read import IngestError

__all__ = ["IngestError"]
