"""A person's data: the ZIP holds everything about them and their co-op (and nothing of
another co-op's), their files byte for byte, never a secret; deleting the account needs the
password, is refused to an organisation's only owner, erases the person and keeps the
financial records, anonymised."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date

import httpx
import pytest

from app.accounts.models import ApiToken, User, UserSession
from app.audit import AuditEvent
from app.orgs.models import Membership, Role
from app.settings import Settings
from app.storage import uploads
from campaigns.auction.models import Sponsor
from grants.applications.models import Application, Attachment
from grants.coops.models import CoopContact
from grants.funds.models import LedgerEntry
from grants.projects.models import OutcomeReport, Tranche
from grants.projects.service import disbursements, reports
from grants.projects.statuses import ReportKind
from tests.grants.factories import make_awarded, make_call, make_fund, make_staff
from tests.helpers import PASSWORD, add_member, login, make_org, make_user, post_form

pytestmark = pytest.mark.usefixtures("app")
COOP = "coop1@coops.example"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


async def scene(settings: Settings) -> User:
    """Co-op 1 (COOP) with an application, a file, a project paid in part and a report;
    co-op 2 beside it; COOP also sponsors a campaign."""
    org = await make_org()
    fund = await make_fund(org)
    call = await make_call(org, fund)
    ana, ben = await make_staff(org, "ana@fund.example"), await make_staff(org, "ben@fund.example")
    application = await make_awarded(org, call, 1, 500_000)
    await make_awarded(org, call, 2, 400_000)
    await Application.filter(id=application.id).update(answers={"summary": "Secado solar."})
    key = await uploads(settings).put(PDF, "pdf")
    await Attachment.create(organisation=org, application=application, field_key="certificate",
                            filename="certificado.pdf", content_type="application/pdf",
                            size=len(PDF), sha256="0" * 64, storage_key=key, uploaded_by_id=0)
    await LedgerEntry.create(organisation=org, fund=fund, kind="contribution",
                             amount_minor=900_000, currency="USD", source="donation",
                             reference="gift")
    project = await disbursements.start_project(ana, application.id, starts_on=date(2026, 1, 1),
                                                ends_on=date(2026, 12, 31))
    await disbursements.set_agreement(ana, project.id, milestones=[],
                                      indicators=["yield_per_ha"])
    coop = await User.get(email=COOP)
    await disbursements.accept_agreement(coop, org, project.id)
    tranche = await disbursements.add_tranche(ana, project.id, amount_minor=200_000,
                                              due_on=date(2026, 2, 1))
    await disbursements.move_tranche(ana, tranche.id, "approve")
    await disbursements.move_tranche(ben, tranche.id, "pay", reference="BANK-7")
    baseline = await OutcomeReport.get(project_id=project.id, kind=ReportKind.BASELINE)
    await reports.save_report(coop, org, baseline.id, narrative={"progress": "Secadores."},
                              typed={"yield_per_ha": "900"}, submit=True)
    await Sponsor.create(organisation=org, user_id=coop.id, company_name="Kahawa Roasters",
                         contact_name="Wanjiru", billing_email=COOP, country="KE",
                         payment_method_ref="pm_card_visa", card_brand="visa", card_last4="4242")
    await add_member(org, coop, Role.REVIEWER)
    return coop


async def test_the_export_holds_everything_about_them_and_no_secret(
        client: httpx.AsyncClient, settings: Settings) -> None:
    await scene(settings)
    await login(client, COOP)
    await post_form(client, "/account/tokens", {"name": "script"}, token_from="/account")
    response = await client.get("/account/export.zip")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    assert "attachment" in response.headers["content-disposition"]
    assert response.headers["cache-control"] == "no-store"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    document = json.loads(archive.read("harambee-export.json"))
    assert document["account"]["user"]["email"] == COOP
    assert document["account"]["api_tokens"][0]["name"] == "script"
    coop = document["grants"]["cooperatives"][0]
    assert coop["legal_name"] == "Cooperativa 1" and len(document["grants"]["cooperatives"]) == 1
    application = coop["applications"][0]
    assert application["answers"] == {"summary": "Secado solar."}
    assert application["decision"]["amount_minor"] == 500_000
    project = coop["projects"][0]
    assert project["payments"][0]["status"] == "paid"
    assert project["reports"][0]["narrative"]["progress"] == "Secadores."
    assert document["campaigns"]["sponsors"][0]["company_name"] == "Kahawa Roasters"
    for _ in range(9):                             # ten an hour, then a clear refusal
        assert (await client.get("/account/export.zip")).status_code == 200
    assert (await client.get("/account/export.zip")).status_code == 429
    name = next(n for n in archive.namelist() if n.endswith("certificado.pdf"))
    assert archive.read(name) == PDF
    text = response.content.decode("latin-1") + json.dumps(document)
    token = await ApiToken.get(name="script")
    user = await User.get(email=COOP)
    for secret in (token.token_hash, user.password_hash, "pm_card_visa", "BANK-7",
                   "Cooperativa 2", "coop2@coops.example"):
        assert secret not in text, secret


async def test_deleting_the_account_erases_the_person_and_keeps_the_money(
        client: httpx.AsyncClient, settings: Settings) -> None:
    coop = await scene(settings)
    await login(client, COOP)
    wrong = await post_form(client, "/account/delete", {"password": "not-mine-at-all"},
                            token_from="/account/delete")
    assert wrong.status_code == 422 and "not your password" in wrong.text
    assert (await User.get(id=coop.id)).email == COOP          # nothing changed

    ledger = sorted(await LedgerEntry.all().values_list("reference", "amount_minor"))
    done = await post_form(client, "/account/delete", {"password": PASSWORD},
                           token_from="/account/delete")
    assert done.status_code == 303 and done.headers["location"] == "/?deleted=1"
    erased = await User.get(id=coop.id)
    assert erased.email == f"erased-{coop.id}@erased.invalid" and erased.phone is None
    assert erased.display_name != "Wanjiru" and "Cooperativa" not in erased.display_name
    for model in (Membership, UserSession, ApiToken, CoopContact):
        assert not await model.filter(user_id=coop.id).exists(), model
    sponsor = await Sponsor.get(user_id=coop.id)
    assert sponsor.billing_email == erased.email and sponsor.payment_method_ref is None
    assert sponsor.company_name == "Kahawa Roasters"             # the invoice's party stays
    # The money and the co-op's records stay.
    assert sorted(await LedgerEntry.all().values_list("reference", "amount_minor")) == ledger
    assert await Tranche.filter(status="paid").count() == 1
    assert await Application.filter(cooperative__legal_name="Cooperativa 1").exists()
    assert await AuditEvent.filter(verb="user.erased", actor_id=coop.id).exists()
    # Signed out, and the old password opens nothing.
    assert (await client.get("/account")).status_code in (302, 303, 401)
    again = await post_form(client, "/login", {"email": COOP, "password": PASSWORD})
    assert again.status_code == 422


async def test_the_only_owner_of_an_organisation_hands_it_over_first(
        client: httpx.AsyncClient) -> None:
    org = await make_org(slug="solo-fund")
    solo = await make_user(email="solo@fund.example")
    await Membership.create(organisation=org, user=solo, role=Role.OWNER)
    await login(client, "solo@fund.example")
    refused = await post_form(client, "/account/delete", {"password": PASSWORD},
                              token_from="/account/delete")
    assert refused.status_code == 422 and "only owner" in refused.text
    assert (await User.get(id=solo.id)).email == "solo@fund.example"
    second = await make_user(email="second@fund.example")
    await Membership.create(organisation=org, user=second, role=Role.OWNER)
    done = await post_form(client, "/account/delete", {"password": PASSWORD},
                           token_from="/account/delete")
    assert done.status_code == 303
