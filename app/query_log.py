"""How many SQL statements a piece of work sends: `count_queries()` collects those of this
task and the tasks it starts (a request through an in-process client), not the job runner's
in the background, by reading tortoise's `tortoise.db_client` log at DEBUG — the same on
SQLite and PostgreSQL. For tests and benchmarks (a page whose queries grow with its rows).

`count_transactions()` counts the transactions a piece of work opens: each outermost
`atomic()`, and each write sent outside one (a transaction of its own)."""

from __future__ import annotations

import contextlib
import contextvars
import logging
from collections.abc import Callable, Iterator

from app.db import in_atomic, transactions_opened

WRITES = frozenset({"INSERT", "UPDATE", "DELETE"})
# Bookkeeping around a use case, not a second transaction of it: the embedded job runner's
# rows, written as the jobs of a transaction are handed over once it commits, and an API
# token's last use (noted at most once a minute, before the handler runs).
BOOKKEEPING_TABLES = ("queued_jobs", "periodic_runs", "api_tokens")

_query_sink: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "query_sink", default=None)


def _statement(record: logging.LogRecord) -> str:
    return str(record.args[0] if isinstance(record.args, tuple) and record.args else record.msg)


def _verb(statement: str) -> str:
    return statement.lstrip().split(" ", 1)[0].upper()


class _Listener(logging.Handler):
    """Hands each statement tortoise logs to `hear`, in the task that sends it."""

    def __init__(self, hear: Callable[[str], None]) -> None:
        super().__init__(level=logging.DEBUG)
        self.hear = hear

    def emit(self, record: logging.LogRecord) -> None:
        self.hear(_statement(record))


@contextlib.contextmanager
def _listening(hear: Callable[[str], None]) -> Iterator[None]:
    logger = logging.getLogger("tortoise.db_client")
    handler, level = _Listener(hear), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def _note_query(statement: str) -> None:
    sink = _query_sink.get()
    if sink is not None and _verb(statement) in {"SELECT", "INSERT", "UPDATE", "DELETE", "WITH"}:
        sink.append(statement)


def count_queries() -> contextlib.AbstractContextManager[list[str]]:
    """The SQL statements sent while the block runs."""
    return _collecting(_query_sink, _note_query)


def _note_lone_write(statement: str) -> None:
    counter = transactions_opened.get()
    if (counter is not None and not in_atomic() and _verb(statement) in WRITES
            and not any(f'"{table}"' in statement for table in BOOKKEEPING_TABLES)):
        counter.append(" ".join(statement.split()[:4]))


def count_transactions() -> contextlib.AbstractContextManager[list[str]]:
    """The transactions opened while the block runs (read once it ends): "atomic()", or the
    start of a write sent on its own."""
    return _collecting(transactions_opened, _note_lone_write)


@contextlib.contextmanager
def _collecting(found_in: contextvars.ContextVar[list[str] | None],
                hear: Callable[[str], None]) -> Iterator[list[str]]:
    found: list[str] = []
    token = found_in.set(found)
    try:
        with _listening(hear):
            yield found
    finally:
        found_in.reset(token)
