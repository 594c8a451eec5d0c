"""`python -m tei_encoder` runs the command line."""

from .cli import main

main()
