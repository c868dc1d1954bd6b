"""Demo data for the grants pipeline: a fund, three open calls (one closing in two days,
its applications all screened), a dozen fictional co-ops from East Africa and Latin America
with drafts and submissions, and a pool of reviewers (with their languages and expertise)
ready for that call once staff close it; and last year's call with its funded projects
(grants/demo_projects.py).

Rows are written directly (no mail goes out), through the same pure rules the use cases use
(eligibility checks, snapshots), so the demo looks like a programme that has been running.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from app.commands import add_member, ensure_user
from app.orgs.models import Organisation, Role
from app.settings import Settings
from app.timefmt import now
from devtools.demo import grant_projects as demo_projects
from grants.applications.models import Application, ApplicationMessage, Revision
from grants.applications.service.applicant import snapshot
from grants.applications.statuses import ApplicationStatus, MessageKind
from grants.calls import eligibility
from grants.calls.default_form import DEFAULT_FORM
from grants.calls.models import Call
from grants.calls.statuses import CallStatus
from grants.coops.models import CoopContact, Cooperative, Network
from grants.funds.models import Fund, LedgerEntry
from grants.funds.statuses import LedgerKind
from grants.review.models import ReviewerProfile

FUND_NAME = "Smallholder Futures Fund"
EAST_AFRICA = "East African Fair Producers Network"
ANDES = "Red Andina de Pequeños Productores"

# handle, legal name, country, region, commodities, members (total, women, youth),
# certifications, network, contact's name, language, timezone
COOPS: tuple[tuple[Any, ...], ...] = (
    ("nyeri", "Nyeri Hills Tea Growers Co-operative", "KE", "Nyeri", ["tea"], (1450, 610, 220),
     ["fairtrade"], EAST_AFRICA, "Amani Mwangi", "sw", "Africa/Dar_es_Salaam"),
    ("kiambu", "Kiambu Highlands Coffee Farmers Co-operative Society", "KE", "Kiambu",
     ["coffee"], (830, 290, 140), ["fairtrade", "rainforest_alliance"], EAST_AFRICA,
     "Grace Njeri", "en", "Africa/Nairobi"),
    ("rwenzori", "Rwenzori Slopes Coffee Co-operative Union", "UG", "Kasese", ["coffee"],
     (2200, 900, 410), ["fairtrade", "organic"], EAST_AFRICA, "Moses Baluku", "en",
     "Africa/Kampala"),
    ("kilimanjaro", "Kilimanjaro Mountain Growers Co-operative", "TZ", "Moshi",
     ["coffee", "banana"], (640, 300, 95), ["organic"], EAST_AFRICA, "Neema Lyimo", "sw",
     "Africa/Dar_es_Salaam"),
    ("kyela", "Kyela Cocoa Growers Association", "TZ", "Mbeya", ["cocoa"], (410, 150, 120), [],
     None, "Joseph Mwakyusa", "sw", "Africa/Dar_es_Salaam"),
    ("huye", "Koperative Ikawa Nziza Huye", "RW", "Huye", ["coffee"], (310, 160, 60),
     ["fairtrade"], EAST_AFRICA, "Claudine Uwase", "fr", "Africa/Kigali"),
    ("sidama", "Sidama Highland Coffee Farmers Union", "ET", "Sidama", ["coffee"],
     (5200, 1300, 900), ["fairtrade", "organic"], None, "Tesfaye Bekele", "en",
     "Africa/Addis_Ababa"),
    ("flor", "Cooperativa Agraria Flor del Valle", "PE", "Cajamarca", ["coffee"],
     (310, 120, 45), ["fairtrade", "organic"], ANDES, "Rosa Quispe", "es", "America/Lima"),
    ("huallaga", "Cooperativa de Cacao Río Huallaga", "PE", "San Martín", ["cocoa"],
     (520, 170, 90), ["organic"], ANDES, "Julio Paredes", "es", "America/Lima"),
    ("huila", "Asociación de Caficultores del Sur del Huila", "CO", "Huila", ["coffee"],
     (180, 70, 30), ["fairtrade"], ANDES, "Marta Cárdenas", "es", "America/Bogota"),
    ("montana", "Cooperativa Cafetalera Montaña Verde", "HN", "Santa Bárbara",
     ["coffee", "honey"], (260, 90, 55), ["fairtrade"], None, "Óscar Mejía", "es",
     "America/Tegucigalpa"),
    ("noroeste", "Asociación de Bananeros Orgánicos del Noroeste", "DO", "Montecristi",
     ["banana"], (85, 30, 25), ["fairtrade", "organic"], None, "Ana Rosario", "es",
     "America/Santo_Domingo"),
)


def _t(en: str, es: str, fr: str, pt: str, sw: str) -> dict[str, str]:
    return {"en": en, "es": es, "fr": fr, "pt": pt, "sw": sw}


def _calls(fund: Fund) -> list[dict[str, Any]]:
    moment = now().replace(minute=0, second=0, microsecond=0)
    common = {"fund": fund, "currency": fund.currency, "form": DEFAULT_FORM,
              "identifying_fields": ["legal_name", "contacts"], "reviews_per_application": 3}
    return [
        {**common, "status": CallStatus.OPEN,
         "title": _t("Quality and market access 2027", "Calidad y acceso a mercados 2027",
                     "Qualité et accès aux marchés 2027", "Qualidade e acesso a mercados 2027",
                     "Ubora na masoko 2027"),
         "description": _t(
             "Small grants for producer organisations that want to sell more of their crop "
             "at better prices: cupping labs, quality training, traceability, new buyers.",
             "Pequeñas subvenciones para organizaciones de productores que quieren vender más "
             "de su cosecha a mejores precios: laboratorios de catación, capacitación en "
             "calidad, trazabilidad, nuevos compradores.",
             "Petites subventions pour les organisations de producteurs qui veulent vendre "
             "mieux : laboratoires de dégustation, formation qualité, traçabilité.",
             "Pequenas subvenções para organizações de produtores que querem vender melhor: "
             "laboratórios de prova, formação em qualidade, rastreabilidade.",
             "Ruzuku ndogo kwa vyama vya wazalishaji vinavyotaka kuuza mazao zaidi kwa bei "
             "bora: maabara za kuonja, mafunzo ya ubora, ufuatiliaji, wanunuzi wapya."),
         "opens_at": moment - timedelta(days=20), "closes_at": moment + timedelta(days=45),
         "budget_minor": 15_000_000, "min_request_minor": 500_000,
         "max_request_minor": 2_500_000, "categories": ["quality", "market_access"],
         "eligibility": {"countries": ["KE", "UG", "TZ", "RW", "ET", "PE", "CO", "HN", "DO"],
                         "commodities": ["coffee", "tea", "cocoa", "banana"],
                         "min_members": 50}},
        {**common, "status": CallStatus.OPEN,
         "title": _t("Financial management for co-op boards",
                     "Gestión financiera para consejos de cooperativas",
                     "Gestion financière pour les conseils de coopératives",
                     "Gestão financeira para conselhos de cooperativas",
                     "Usimamizi wa fedha kwa bodi za vyama vya ushirika"),
         "description": _t(
             "Courses and coaching so boards and managers can plan, budget and report, and "
             "so members can reach credit.",
             "Cursos y acompañamiento para que consejos y gerentes planifiquen, presupuesten "
             "e informen, y para que los socios accedan a crédito.",
             "Formations et accompagnement pour planifier, budgéter et rendre compte.",
             "Cursos e acompanhamento para planear, orçamentar e prestar contas.",
             "Mafunzo na ushauri ili bodi na mameneja wapange, waandae bajeti na kutoa "
             "taarifa, na wanachama wapate mikopo."),
         "opens_at": moment - timedelta(days=10), "closes_at": moment + timedelta(days=20),
         "budget_minor": 6_000_000, "min_request_minor": 200_000,
         "max_request_minor": 1_000_000, "categories": ["financing", "productivity"],
         "eligibility": {"certifications": ["fairtrade", "organic"]}},
        {**common, "status": CallStatus.OPEN,
         "title": _t("Climate resilience pilots 2026", "Pilotos de resiliencia climática 2026",
                     "Projets pilotes de résilience climatique 2026",
                     "Pilotos de resiliência climática 2026",
                     "Majaribio ya ustahimilivu wa hali ya hewa 2026"),
         "description": _t(
             "Pilots of regenerative practices and resilience plans.",
             "Pilotos de prácticas regenerativas y planes de resiliencia.",
             "Pilotes de pratiques régénératives et plans de résilience.",
             "Pilotos de práticas regenerativas e planos de resiliência.",
             "Majaribio ya kilimo endelevu na mipango ya ustahimilivu."),
         "opens_at": moment - timedelta(days=90), "closes_at": moment + timedelta(days=2),
         "budget_minor": 8_000_000, "min_request_minor": 300_000,
         "max_request_minor": 1_500_000, "categories": ["productivity", "Climate adaptation"],
         "eligibility": {"min_members": 100}},
    ]


def _answers(title: str, requested: int) -> dict[str, Any]:
    training = requested * 6 // 10
    return {
        "challenge": f"{title}: members sell most of their crop to intermediaries at low "
                     "prices because the quality is not measured.",
        "activities": "Train quality promoters, equip a small lab, visit two buyers.",
        "participants": "120", "women_share": "quarter_to_half", "start_date": "2027-03-01",
        "results": "Half of the harvest sold with a quality premium.",
        "budget": [{"category": "training", "description": "Quality promoters' course",
                    "amount_minor": training},
                   {"category": "equipment", "description": "Cupping lab equipment",
                    "amount_minor": requested - training}],
    }


async def load(settings: Settings, org: Organisation) -> None:
    if await Fund.filter(organisation_id=org.id, name=FUND_NAME).exists():
        return
    fund = await Fund.create(organisation=org, name=FUND_NAME, currency="USD",
                             description="Partner grants and campaign proceeds.")
    for kind, amount, source, reference in (
            (LedgerKind.CONTRIBUTION, 20_000_000, "partner", "demo-partner-2026"),
            (LedgerKind.CONTRIBUTION, 1_250_000, "donation", "demo-donations-q3"),
            (LedgerKind.CONTRIBUTION, 3_400_000, "campaign", "demo-one-big-post")):
        await LedgerEntry.create(organisation=org, fund=fund, kind=kind, amount_minor=amount,
                                 currency="USD", source=source, reference=reference)
    calls = [await Call.create(organisation=org, **values) for values in _calls(fund)]
    networks = {name: (await Network.get_or_create(organisation=org, name=name))[0]
                for name in (EAST_AFRICA, ANDES)}
    for index, row in enumerate(COOPS):
        (handle, name, country, region, commodities, (total, women, youth), certs, network,
         person, locale, timezone) = row
        coop = await Cooperative.create(
            organisation=org, legal_name=name, country=country, region=region,
            legal_form="second_level_cooperative" if "Union" in name else "cooperative",
            commodities=commodities, members_total=total, members_women=women,
            members_youth=youth, year_founded=1975 + index * 3,
            certifications=[{"scheme": c, "identifier": f"{c[:3].upper()}-{1000 + index}"}
                            for c in certs],
            network=networks.get(network) if network else None)
        email = "coop" if handle == "nyeri" else f"coop-{handle}"
        user = await ensure_user(settings, f"{email}@demo.example.org", "harambee-demo",
                                 person, locale, timezone)
        await CoopContact.create(organisation=org, cooperative=coop, user_id=user.id,
                                 is_owner=True)
        await _apply(org, calls, coop, user.id, locale, index)
    await _reviewers(settings, org)
    await demo_projects.load(org, fund)


# handle (reviewer@ is app/demo's), name, locale, timezone, languages read, countries,
# commodities, challenge categories
REVIEWERS: tuple[tuple[Any, ...], ...] = (
    ("reviewer", "Joseph Okello", "en", "Africa/Kampala", ["en", "sw"], ["UG", "KE", "TZ"],
     ["coffee", "banana"], ["productivity", "quality"]),
    ("reviewer-carmen", "Carmen Flores", "es", "America/Lima", ["es", "en", "pt"],
     ["PE", "CO", "HN"], ["coffee", "cocoa"], ["productivity", "market_access"]),
    ("reviewer-aline", "Aline Mukamana", "fr", "Africa/Kigali", ["fr", "en", "sw", "es"],
     ["RW", "TZ", "DO"], ["coffee", "banana"], ["Climate adaptation", "quality"]),
    ("reviewer-baraka", "Baraka Otieno", "sw", "Africa/Nairobi", ["sw", "en"],
     ["KE", "TZ"], ["tea", "coffee"], ["financing", "productivity"]),
    ("reviewer-diego", "Diego Ramírez", "es", "America/Bogota", ["es", "pt", "en"],
     ["CO", "PE"], ["coffee"], ["Climate adaptation", "financing"]),
)


async def _reviewers(settings: Settings, org: Organisation) -> None:
    for handle, name, locale, timezone, languages, countries, commodities, categories in (
            REVIEWERS):
        user = await ensure_user(settings, f"{handle}@demo.example.org", "harambee-demo", name,
                                 locale, timezone)
        await add_member(org, user, Role.REVIEWER)
        await ReviewerProfile.get_or_create(organisation=org, user_id=user.id, defaults={
            "languages": languages, "countries": countries, "commodities": commodities,
            "categories": categories, "max_load": 6})


async def _apply(org: Organisation, calls: list[Call], coop: Cooperative, user_id: int,
                 locale: str, index: int) -> None:
    """Drafts and submissions spread over the calls, some already screened."""
    call = calls[2] if index % 4 == 3 else calls[0]
    requested = call.min_request_minor + (index + 1) * 100_000
    closing = call is calls[2]  # about to close: everything in it submitted and screened
    submitted = index % 3 != 0 or closing
    application = await Application.create(
        organisation=org, call=call, cooperative=coop, language=locale, currency=call.currency,
        form=call.form, created_by_id=user_id, title=f"Quality promoters for {coop.legal_name}",
        category=call.categories[0], requested_minor=requested,
        answers=_answers(coop.legal_name, requested))
    if not submitted:
        return
    rules = eligibility.Rules.model_validate(call.eligibility)
    application.screening = [f.as_json() for f in eligibility.check(rules, coop.profile())]
    application.status = ApplicationStatus.SUBMITTED
    application.submitted_at = call.opens_at + timedelta(days=3 + index)
    await application.save()
    await Revision.create(organisation=org, application=application, number=1,
                          version=application.version, snapshot=snapshot(application, coop),
                          submitted_by_id=user_id)
    await ApplicationMessage.create(organisation=org, application=application,
                                    kind=MessageKind.RECEIPT, author_id=user_id)
    if index == 10:
        application.status = ApplicationStatus.CHANGES_REQUESTED
        application.deadline_override = now() + timedelta(days=7)
        await application.save()
        await ApplicationMessage.create(
            organisation=org, application=application, kind=MessageKind.CHANGES_REQUESTED,
            body="Please add a quote for the lab equipment and split travel from training.")
    elif index % 5 == 1 or closing:
        application.status = (ApplicationStatus.ELIGIBLE if eligibility.passes(
            [eligibility.Finding.from_json(f) for f in application.screening])
            else ApplicationStatus.INELIGIBLE)
        await application.save()
        await ApplicationMessage.create(
            organisation=org, application=application,
            kind=MessageKind(application.status.value),
            body="" if application.status is ApplicationStatus.ELIGIBLE else
            "The co-op has fewer members than this call asks for.")
