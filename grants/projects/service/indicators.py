"""The organisation's catalogue of outcome indicators: seeded, the first time it
is read, with the measures that matter to smallholders (grants/outcomes.py), each named in
every language Harambee speaks; staff may add their own."""

from __future__ import annotations

from tortoise.exceptions import IntegrityError

from app import audit, i18n
from app.db import atomic
from app.errors import Invalid
from app.i18n import lazy_gettext as _l
from app.orgs.models import Membership, Organisation
from app.tenancy import scoped
from grants.calls.formdef import KEY_RE
from grants.projects.models import Indicator
from grants.projects.outcomes import DEFAULT_INDICATORS, UNITS, IndicatorDef
from grants.projects.statuses import Direction
from grants.shared.common import require_staff

TAKEN = _l("An indicator already has this key.")


def _in_every_language(message: str) -> dict[str, str]:
    texts = {}
    for code in i18n.LOCALES:
        with i18n.use_locale(code):
            texts[code] = i18n.gettext(message)
    return texts


def _row(org: Organisation, definition: IndicatorDef) -> Indicator:
    return Indicator(organisation=org, key=definition.key, unit=definition.unit,
                     direction=definition.direction,
                     name=_in_every_language(definition.name),
                     description=_in_every_language(definition.description)
                     if definition.description else {})


async def catalogue(org: Organisation) -> list[Indicator]:
    """The organisation's indicators, in the order they were added (seeded if none)."""
    rows = await scoped(Indicator, org).order_by("id")
    if rows:
        return rows
    try:
        async with atomic():
            await Indicator.bulk_create([_row(org, d) for d in DEFAULT_INDICATORS])
    except IntegrityError:      # another request seeded it a moment ago
        pass
    return await scoped(Indicator, org).order_by("id")


async def names(org: Organisation) -> dict[str, str]:
    """Each indicator's name in the viewer's language, by key."""
    return {row.key: i18n.localised(row.name) or row.key for row in await catalogue(org)}


async def add_indicator(membership: Membership, *, key: str, name: str, unit: str,
                        direction: str) -> Indicator:
    """An indicator of the organisation's own (its name in the staff member's language)."""
    require_staff(membership)
    org = membership.organisation
    errors = {}
    if not KEY_RE.match(key):
        errors["key"] = _l("Use lowercase letters, digits and underscores, starting with a "
                           "letter.")
    if not name.strip():
        errors["name"] = _l("Give it a name.")
    if unit not in UNITS:
        errors["unit"] = _l("Choose one of the options.")
    if direction not in tuple(Direction):
        errors["direction"] = _l("Choose one of the options.")
    known = {row.key for row in await catalogue(org)}
    if key in known:
        errors["key"] = TAKEN
    if errors:
        raise Invalid(fields=errors)
    try:
        async with atomic():
            indicator = await Indicator.create(organisation=org, key=key, unit=unit,
                                               direction=Direction(direction),
                                               name={i18n.current_locale(): name.strip()[:200]})
            await audit.record(verb="indicator.added", obj=indicator,
                               actor_id=membership.user_id, organisation_id=org.id)
    except IntegrityError:      # the same key, added a moment ago by someone else
        raise Invalid(fields={"key": TAKEN}) from None
    return indicator
