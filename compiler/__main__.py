from __future__ import annotations

from compiler.fastpath import main

raise SystemExit(main())
