"""``python -m reference_server``: same as the ``items-api-server`` command."""

from .cli import main

main()
