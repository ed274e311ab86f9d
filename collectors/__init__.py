"""Collectors: one module per input format, files -> facts with path:line."""
