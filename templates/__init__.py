"""Jinja2 templates of the document, one partial per generated section."""
