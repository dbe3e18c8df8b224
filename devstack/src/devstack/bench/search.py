"""The `search` section: the users search projection's query (`dashboard_api.search.repository
.page`) at 10k and 100k entries, on SQLite and (with BENCH_MARIADB_URL) MariaDB.

In-process, no HTTP and no Kratos: a fresh migrated database filled with synthetic entries,
each query timed through one session beside a bare primary-key SELECT through the same session.
"""

from __future__ import annotations

import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dashboard_api import migrate
from dashboard_api.db import Database
from dashboard_api.search import repository
from dashboard_api.search.models import SearchEntry
from dashboard_api.search.terms import Entry, entry_from
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from devstack.bench import dashboard_served
from devstack.bench.plan import PAGE, Plan

MARIADB_ENV = "BENCH_MARIADB_URL"  # e.g. mysql://user:password@127.0.0.1:3306
FIRST = [
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
LAST = [
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
WARMUP = 5


def entries(count: int, seed: int = 7) -> list[Entry]:
    """`count` people: `first.last<n>@domain`, "First Last", every other one a username."""
    rng = random.Random(seed)
    made = []
    for n in range(count):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        traits = {
            "email": f"{first}.{last}{n}@{rng.choice(DOMAINS)}",
            "name": f"{first.title()} {last.title()}",
        }
        if n % 2:
            traits["username"] = f"{first[0]}{last}{n}"
        made.append(entry_from(f"{n:08x}-0000-4000-8000-{n:012x}", traits, "active"))
    return made


@dataclass
class Timed:
    database: str
    size: int
    query: str
    results: int
    statements: float
    p50: float
    p95: float


def fill(database: Database, people: Sequence[Entry]) -> None:
    with database.transaction() as session:
        for start in range(0, len(people), CHUNK):
            repository.replace(session, people[start : start + CHUNK])


def timed(call: Callable[[], object], repeats: int) -> tuple[float, float]:
    """(p50, p95) in milliseconds, after WARMUP unmeasured calls."""
    for _ in range(WARMUP):
        call()
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), statistics.quantiles(samples, n=20)[18]


def cases(session: Session, probe: Entry) -> list[tuple[str, Callable[[], Any]]]:
    deep = None
    for _ in range(10):  # where the 11th page of "m" starts
        deep = repository.page(session, "m", limit=PAGE, after=deep)[1]

    def search(needle: str, after: tuple[str, str] | None = None) -> Callable[[], Any]:
        return lambda: repository.page(session, needle, limit=PAGE, after=after)[0]

    by_key = select(SearchEntry.subject).where(SearchEntry.subject == probe.subject)
    return [
        ("floor: SELECT by primary key", lambda: session.execute(by_key).all()),
        ("email prefix `ada.lovelace`", search("ada.lovelace")),
        ("username prefix `alovelace`", search("alovelace")),
        ("name word prefix `lovel`", search("lovel")),
        ("a miss `zzqx`", search("zzqx")),
        (f"search page `m`, first {PAGE}", search("m")),
        ("search page `m`, 11th (cursor)", search("m", deep)),
    ]


def measure(name: str, database: Database, size: int, probe: Entry, repeats: int) -> list[Timed]:
    sent = [0]

    def count(*_: Any) -> None:
        sent[0] += 1

    event.listen(database.engine, "before_cursor_execute", count)
    found: list[Timed] = []
    try:
        with database.session(read_only=True) as session:
            for query, call in cases(session, probe):
                results = len(call())
                sent[0] = 0
                p50, p95 = timed(call, repeats)
                per_call = sent[0] / (repeats + WARMUP)
                found.append(Timed(name, size, query, results, per_call, p50, p95))
    finally:
        event.remove(database.engine, "before_cursor_execute", count)
    return found


@contextmanager
def migrated(workdir: Path, server: str | None) -> Iterator[Database]:
    """A fresh migrated database: on the MariaDB `server` when given, else a SQLite file."""
    with ExitStack() as stack:
        if server is None:
            url = f"sqlite:///{workdir / 'search.sqlite3'}"
        else:
            url = stack.enter_context(dashboard_served.mariadb_database(server))
        migrate.upgrade(url)
        database = Database.from_url(url)
        stack.callback(database.dispose)
        yield database


def table(rows: list[Timed]) -> str:
    floors = {(r.database, r.size): r for r in rows if r.query.startswith("floor")}
    lines = [
        "| database | entries | query | results | statements | p50 ms | p95 ms | p95 / floor |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        floor = floors[(r.database, r.size)]
        ratio = "" if r is floor else f"{r.p95 / floor.p95:.0f}"
        lines.append(
            f"| {r.database} | {r.size // 1000}k | {r.query} | {r.results} "
            f"| {r.statements:.0f} | {r.p50:.2f} | {r.p95:.2f} | {ratio} |"
        )
    return "\n".join(lines)


def run(plan: Plan) -> str:
    sizes = [10_000] if plan.quick else [10_000, 100_000]
    repeats = 100 if plan.quick else 300
    server = os.environ.get(MARIADB_ENV) or None
    backends: list[tuple[str, str | None]] = [("SQLite", None)]
    if server:
        backends.append(("MariaDB", server))
    people = entries(sizes[-1])
    rows: list[Timed] = []
    fills: list[str] = []
    for name, on in backends:
        with tempfile.TemporaryDirectory() as workdir, migrated(Path(workdir), on) as database:
            done = 0
            for size in sizes:
                started = time.perf_counter()
                fill(database, people[done:size])
                fills.append(f"{name} {size // 1000}k {time.perf_counter() - started:.0f} s")
                done = size
                print(f"  search: {name} at {size} ...", flush=True)
                rows += measure(name, database, size, people[size // 2], repeats)
    skipped = "" if server else f"\nMariaDB skipped: set {MARIADB_ENV} (e.g. the tests' account)."
    at = ", ".join(f"{size // 1000}k" for size in sizes)
    return f"""### Search projection: `repository.page` at {at} entries

{table(rows)}

In-process, no HTTP, no Kratos: a fresh migrated database per backend filled with synthetic
people (`first.last<n>@domain`, "First Last", every other one a username; fill {", ".join(fills)}),
then each query {repeats} times through one read-only session after {WARMUP} unmeasured calls —
a page of up to {PAGE} through `dashboard_api.search.repository.page`, which lists each person
once at their smallest matching term. The floor is a bare primary-key SELECT through the same
session; "statements" is what one call sends. {skipped}
"""
