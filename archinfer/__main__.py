"""`python -m archinfer` runs the CLI."""

from .cli import main

main()
