"""How many SQL statements a piece of work sends: `count_queries()` collects those of this
task and the tasks it starts (a request through an in-process client), not the job runner's
in the background, by reading tortoise's `tortoise.db_client` log at DEBUG — the same on
SQLite and PostgreSQL. For tests and benchmarks (a page whose queries grow with its rows)."""

from __future__ import annotations

import contextlib
import contextvars
import logging
from collections.abc import Iterator

_query_sink: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "query_sink", default=None)


class _QueryLog(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        sink = _query_sink.get()
        statement = str(record.args[0] if isinstance(record.args, tuple) and record.args
                        else record.msg)
        if sink is not None and statement.lstrip().split(" ", 1)[0].upper() in {
                "SELECT", "INSERT", "UPDATE", "DELETE", "WITH"}:
            sink.append(statement)


@contextlib.contextmanager
def count_queries() -> Iterator[list[str]]:
    """The SQL statements sent while the block runs."""
    sink: list[str] = []
    token = _query_sink.set(sink)
    logger = logging.getLogger("tortoise.db_client")
    handler, level = _QueryLog(level=logging.DEBUG), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield sink
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        _query_sink.reset(token)
