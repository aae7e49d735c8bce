"""`python -m reviewer` runs the command line."""

import sys

from reviewer.integrations.cli import run

sys.exit(run())
