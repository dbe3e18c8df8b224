"""How much one `make bench` run measures."""

from __future__ import annotations

from dataclasses import dataclass

PAGE = 100
CLIENTS = (1, 8, 32)
# Requests per row by clients (a full run): enough for a p95, bounded in time.
CLIENT_COUNTS = {1: 200, 8: 400, 16: 480, 32: 640}


@dataclass
class Plan:
    """How much a run measures: `--quick` divides the counts and stops at 10k identities."""

    quick: bool

    @property
    def sizes(self) -> list[int]:
        return [1_000, 10_000] if self.quick else [1_000, 10_000, 100_000]

    def count(self, full: int) -> int:
        return max(50, full // 5) if self.quick else full
