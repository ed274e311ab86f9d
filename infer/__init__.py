"""Inference: facts -> views, one module per document section; pure functions."""
