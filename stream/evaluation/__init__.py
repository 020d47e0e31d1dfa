"""Extraction-quality evaluation on third-party dev data read at run time (``stream eval``)."""
