"""``python -m bench.aafgen``: see :mod:`bench.aafgen.generate`."""

import sys

from .generate import main

sys.exit(main())
