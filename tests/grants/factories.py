"""Grants rows for tests: a fund, a call with a small form, a co-op and its contact, reviewers
with profiles, eligible applications, awarded ones."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from app.accounts.models import User
from app.orgs.models import Membership, Organisation, Role
from app.timefmt import now
from grants.applications.models import Application
from grants.applications.statuses import ApplicationStatus
from grants.calls.models import Call
from grants.calls.statuses import CallStatus
from grants.coops.models import CoopContact, Cooperative
from grants.funds.models import Fund
from grants.review.models import Decision, ReviewerProfile
from grants.review.statuses import DecisionKind
from tests.helpers import add_member, make_user

SMALL_FORM: dict[str, Any] = {"sections": [
    {"key": "project", "title": {"en": "The project", "es": "El proyecto"}, "fields": [
        {"key": "summary", "type": "long_text", "label": {"en": "Summary", "es": "Resumen"}},
        {"key": "budget", "type": "budget", "label": {"en": "Budget", "es": "Presupuesto"},
         "options": [{"key": "training", "label": {"en": "Training", "es": "Capacitación"}},
                     {"key": "equipment", "label": {"en": "Equipment", "es": "Equipos"}}]},
        {"key": "certificate", "type": "file", "required": False,
         "label": {"en": "Registration certificate", "es": "Certificado de registro"}},
    ]},
]}


async def make_fund(org: Organisation, *, name: str = "Coffee Futures Fund",
                    currency: str = "USD") -> Fund:
    return await Fund.create(organisation=org, name=name, currency=currency)


async def make_call(org: Organisation, fund: Fund | None = None, **overrides: Any) -> Call:
    fund = fund or await Fund.filter(organisation_id=org.id).first() or await make_fund(org)
    values: dict[str, Any] = {
        "organisation": org, "fund": fund, "status": CallStatus.OPEN,
        "title": {"en": "Quality for market access 2027", "es": "Calidad para mercados 2027"},
        "description": {"en": "Small grants for cupping labs."},
        "opens_at": now() - timedelta(days=1), "closes_at": now() + timedelta(days=30),
        "currency": fund.currency, "budget_minor": 5_000_000, "min_request_minor": 100_000,
        "max_request_minor": 1_500_000, "categories": ["quality", "market_access"],
        "eligibility": {"countries": ["PE", "KE"], "min_members": 20},
        "form": SMALL_FORM, "identifying_fields": ["legal_name"],
    }
    return await Call.create(**{**values, **overrides})


async def make_coop(org: Organisation, contact: User | None = None, **overrides: Any
                    ) -> Cooperative:
    values: dict[str, Any] = {
        "organisation": org, "legal_name": "Cooperativa Agraria Flor del Valle",
        "country": "PE", "region": "Cajamarca", "legal_form": "cooperative",
        "commodities": ["coffee"], "members_total": 310, "members_women": 120,
        "members_youth": 45, "certifications": [{"scheme": "fairtrade", "identifier": "FLO 1234"}],
    }
    coop = await Cooperative.create(**{**values, **overrides})
    if contact is not None:
        await CoopContact.create(organisation=org, cooperative=coop, user_id=contact.id,
                                 is_owner=True)
    return coop


async def make_reviewer(org: Organisation, email: str, *, name: str = "Reviewer",
                        locale: str = "en", languages: tuple[str, ...] = ("en", "es"),
                        countries: tuple[str, ...] = ("PE", "KE"),
                        commodities: tuple[str, ...] = ("coffee",),
                        categories: tuple[str, ...] = ("quality",), max_load: int = 10
                        ) -> User:
    """A member with the reviewer role and a saved profile."""
    user = await make_user(email=email, name=name, locale=locale)
    await add_member(org, user, Role.REVIEWER)
    await ReviewerProfile.create(organisation=org, user_id=user.id, languages=list(languages),
                                 countries=list(countries), commodities=list(commodities),
                                 categories=list(categories), max_load=max_load)
    return user


async def make_eligible(org: Organisation, call: Call, coop: Cooperative, *,
                        title: str = "Cupping lab", requested_minor: int = 1_000_000,
                        language: str = "es", category: str = "quality") -> Application:
    """A submitted application that screening found eligible."""
    return await Application.create(
        organisation=org, call=call, cooperative=coop, status=ApplicationStatus.ELIGIBLE,
        title=title, category=category, language=language, currency=call.currency,
        requested_minor=requested_minor, answers={"summary": "Un laboratorio de catación."},
        form=call.form, created_by_id=0, submitted_at=now())


async def make_staff(org: Organisation, email: str) -> Membership:
    membership = await add_member(org, await make_user(email=email), Role.STAFF)
    await membership.fetch_related("organisation")
    return membership


async def make_awarded(org: Organisation, call: Call, number: int, amount: int) -> Application:
    """An awarded application of a co-op whose manager is coop<number>@coops.example."""
    manager = await make_user(email=f"coop{number}@coops.example")
    coop = await make_coop(org, manager, legal_name=f"Cooperativa {number}")
    application = await make_eligible(org, call, coop, title=f"Project {number}")
    await Application.filter(id=application.id).update(status=ApplicationStatus.AWARDED)
    await Decision.create(organisation=org, call=call, application=application,
                          kind=DecisionKind.AWARD, amount_minor=amount, currency=call.currency,
                          decided_by_id=0, published_at=now())
    return application
