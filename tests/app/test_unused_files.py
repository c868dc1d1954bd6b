"""Uploads are written to storage before their transaction: a file no row points to (the
transaction failed, or the process stopped in between) is removed by the hourly job once it
is a day old; files that rows point to, and recent ones, stay."""

from __future__ import annotations

import os
import time
from datetime import timedelta

from starlette.applications import Starlette

from app import tasks
from app.settings import Settings
from app.storage import FolderStorage, uploads
from app.timefmt import now
from grants.applications.models import Attachment
from tests.campaigns.factories import make_campaign
from tests.grants.factories import make_call, make_coop, make_eligible
from tests.helpers import make_org

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TWO_DAYS = 2 * 24 * 3600


def _age(storage: FolderStorage, key: str, seconds: float) -> None:
    moment = time.time() - seconds
    os.utime(storage.folder / key[:2] / key, (moment, moment))


async def test_old_files_no_row_points_to_are_removed(app: Starlette, settings: Settings) -> None:
    storage = uploads(settings)
    assert isinstance(storage, FolderStorage)
    org = await make_org()
    application = await make_eligible(org, await make_call(org), await make_coop(org))
    attached, image, lost, fresh = [await storage.put(PDF, ".pdf") for _ in range(4)]
    await Attachment.create(organisation=org, application=application, field_key="report",
                            filename="report.pdf", content_type="application/pdf",
                            size=len(PDF), sha256="0" * 64, storage_key=attached,
                            uploaded_by_id=0)
    await make_campaign(org, image_key=image)
    for key in (attached, image, lost):
        _age(storage, key, TWO_DAYS)
    await tasks.remove_unused_files({"settings": settings})
    assert await storage.get(attached) == PDF and await storage.get(image) == PDF
    assert await storage.get(fresh) == PDF       # perhaps a transaction still open
    assert lost not in await storage.written_before(now() + timedelta(days=1))  # gone
