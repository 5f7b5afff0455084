"""``python -m dibtrends <command>``: see :mod:`dibtrends.cli`."""

import sys

from .cli import main

sys.exit(main())
