"""Cross-service tests: the stack through real nginx, real processes, a real browser."""

from __future__ import annotations

import sys
from pathlib import Path

# The harness is a plain folder beside the tests (not an installed package).
sys.path.insert(0, str(Path(__file__).resolve().parent))
