"""Pages of a long list: staff pages paginate instead of growing without bound."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from tortoise.models import Model
from tortoise.queryset import QuerySet

T = TypeVar("T", bound=Model)
PER_PAGE = 50


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    number: int
    total: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def page_number(raw: str | None) -> int:
    """A page number from the query string; anything odd is page 1."""
    if not raw or not raw.isascii() or not raw.isdigit() or len(raw) > 5:
        return 1
    return max(int(raw), 1)


async def paginate(query: QuerySet[T], number: int, per_page: int = PER_PAGE) -> Page[T]:
    """One query when the list fits on this page (most do); a count only when it does not."""
    start = (number - 1) * per_page
    items = list(await query.offset(start).limit(per_page + 1))
    if len(items) <= per_page and (items or number == 1):
        return Page(items=items, number=number, total=start + len(items), per_page=per_page)
    total = await query.count()
    return Page(items=items[:per_page], number=number, total=total, per_page=per_page)
