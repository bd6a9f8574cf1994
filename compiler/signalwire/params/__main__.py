"""``python -m compiler.signalwire.params --regenerate SCHEMA``."""

from __future__ import annotations

import sys

from compiler.signalwire.params.regenerate import main

sys.exit(main())
