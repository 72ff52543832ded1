"""``python -m jmb``: the same as the ``jmb`` command."""

from jmb.cli import main

main()
