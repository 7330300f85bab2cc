"""`python -m llmlist`."""

from llmlist.cli import main

main()
