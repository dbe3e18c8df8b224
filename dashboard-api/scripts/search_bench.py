"""Time the users search projection at 10k and 100k identities, on SQLite and MariaDB.

    uv run --frozen python dashboard-api/scripts/search_bench.py [--sizes 10000 100000]
        [--mariadb mysql://user:password@127.0.0.1:3306] [--repeats 300]

Fills a fresh, migrated database with synthetic entries (no Kratos involved: this measures the
query a search page runs, `dashboard_api.search.repository.page`), then reports p50/p95 per kind
of query beside a bare primary-key SELECT through the same session (the floor), and what a
substring search (`LIKE '%…%'`, a scan of every entry) would cost instead.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from dashboard_api import migrate
from dashboard_api.db import Database
from dashboard_api.search import repository
from dashboard_api.search.models import SearchEntry
from dashboard_api.search.terms import Entry, entry_from
from devstack.testing import databases
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

FIRST: list[str] = [
    "anna",
    "emma",
    "julia",
    "sara",
    "lisa",
    "eva",
    "noor",
    "sophie",
    "lotte",
    "fenna",
    "maria",
    "ada",
    "grace",
    "mila",
    "tess",
    "zoe",
    "lena",
    "daan",
    "sem",
    "finn",
    "luuk",
    "milan",
    "levi",
    "bram",
    "noah",
    "lucas",
    "jesse",
    "thomas",
    "tim",
    "max",
    "ruben",
    "lars",
    "sven",
    "jan",
    "pieter",
    "kees",
    "joost",
    "mohamed",
    "ahmed",
    "yusuf",
    "ali",
    "omar",
    "fatima",
    "aisha",
    "ines",
    "chen",
    "wei",
    "li",
    "mei",
]
LAST: list[str] = [
    "jansen",
    "devries",
    "vandenberg",
    "bakker",
    "visser",
    "smit",
    "meijer",
    "mulder",
    "deboer",
    "bos",
    "vos",
    "peters",
    "hendriks",
    "dekker",
    "brouwer",
    "dijkstra",
    "koster",
    "prins",
    "kok",
    "huisman",
    "lovelace",
    "hopper",
    "turing",
    "knuth",
    "ritchie",
    "yilmaz",
    "kaya",
    "demir",
    "elamrani",
    "bouzid",
    "nguyen",
    "tran",
    "garcia",
    "lopez",
    "rossi",
    "bianchi",
    "muller",
    "schmidt",
]
DOMAINS = ("example.org", "voorbeeld.nl", "mail.example.com", "stackspin.net")
CHUNK = 5000


def entries(count: int, seed: int = 7) -> Iterator[Entry]:
    rng = random.Random(seed)
    for n in range(count):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        traits = {
            "email": f"{first}.{last}{n}@{rng.choice(DOMAINS)}",
            "name": f"{first.title()} {last.title()}",
        }
        if n % 2:
            traits["username"] = f"{first[0]}{last}{n}"
        yield entry_from(f"{n:08x}-0000-4000-8000-{n:012x}", traits, "active")


def fill(database: Database, count: int) -> None:
    batch: list[Entry] = []
    with database.transaction() as session:
        for entry in entries(count):
            batch.append(entry)
            if len(batch) == CHUNK:
                repository.replace(session, batch)
                batch = []
        repository.replace(session, batch)


def timed(call: Callable[[], object], repeats: int) -> tuple[float, float]:
    """(p50, p95) in milliseconds, after a few warm-up calls."""
    for _ in range(5):
        call()
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    cuts = statistics.quantiles(samples, n=20)
    return statistics.median(samples), cuts[18]


def substring(session: Session, needle: str, limit: int) -> list[str]:
    pattern = f"%{needle}%"
    query = (
        select(SearchEntry.subject)
        .where(
            or_(
                SearchEntry.email.like(pattern),
                SearchEntry.username.like(pattern),
                SearchEntry.name.like(pattern),
            )
        )
        .order_by(SearchEntry.subject)
        .limit(limit)
    )
    return list(session.scalars(query))


def measure(database: Database, count: int, repeats: int) -> list[tuple[str, int, float, float]]:
    rows: list[tuple[str, int, float, float]] = []
    probe = next(e for i, e in enumerate(entries(count)) if i == count // 2)
    with database.session(read_only=True) as session:
        deep = None
        for _ in range(10):  # the cursor of the 11th page of "m"
            deep = repository.page(session, "m", limit=100, after=deep)[1]
        cases: list[tuple[str, Callable[[], object]]] = [
            (
                "floor: SELECT by primary key",
                lambda: session.execute(
                    select(SearchEntry.subject).where(SearchEntry.subject == probe.subject)
                ).all(),
            ),
            ("prefix 'm', page 1 of 100", lambda: repository.page(session, "m", limit=100)),
            (
                "prefix 'm', page 11 (cursor)",
                lambda: repository.page(session, "m", limit=100, after=deep),
            ),
            ("surname 'lovel', page of 100", lambda: repository.page(session, "lovel", limit=100)),
            (
                "'ada lovelace' (first + last)",
                lambda: repository.page(session, "ada lovelace", limit=100),
            ),
            ("one email, whole", lambda: repository.page(session, probe.email or "", limit=100)),
            ("a miss ('zzqx')", lambda: repository.page(session, "zzqx", limit=100)),
            ("substring LIKE '%velac%' (scan), 100", lambda: substring(session, "velac", 100)),
            ("substring LIKE '%zzqx%' (scan), miss", lambda: substring(session, "zzqx", 100)),
        ]
        for name, call in cases:
            answer = call()
            found = len(answer[0]) if isinstance(answer, tuple) else len(answer)
            p50, p95 = timed(call, repeats)
            rows.append((name, found, p50, p95))
    return rows


@contextmanager
def database_for(backend: str, workdir: Path) -> Iterator[Database]:
    with databases.empty_database(backend, workdir) as url:
        migrate.upgrade(url)
        database = Database.from_url(url)
        try:
            yield database
        finally:
            database.dispose()


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeats", type=int, default=300)
    parser.add_argument("--backends", nargs="+", default=["sqlite", "mariadb"])
    args = parser.parse_args(argv)
    print("| backend | identities | query | rows | p50 ms | p95 ms |")
    print("| --- | ---: | --- | ---: | ---: | ---: |")
    for backend in args.backends:
        for size in args.sizes:
            with (
                tempfile.TemporaryDirectory() as workdir,
                database_for(backend, Path(workdir)) as database,
            ):
                started = time.perf_counter()
                fill(database, size)
                filled = time.perf_counter() - started
                print(f"| {backend} | {size} | (fill: {filled:.1f} s) | | | |", flush=True)
                for name, found, p50, p95 in measure(database, size, args.repeats):
                    print(f"| {backend} | {size} | {name} | {found} | {p50:.2f} | {p95:.2f} |")
                    sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1:])
