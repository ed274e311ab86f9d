"""One Jinja2 partial per generated document section."""
