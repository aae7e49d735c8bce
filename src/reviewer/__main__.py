"""`python -m reviewer` runs the command line."""

import sys

from reviewer.integrations.cli import main

sys.exit(main())
