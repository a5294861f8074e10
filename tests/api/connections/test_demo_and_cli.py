"""`python -m backend.cli create-api-client` makes working credentials (the demo's are tested with the demo seed,
tests/api/system/test_seed.py, which must be the first to seed)."""

from __future__ import annotations

import asyncio
import os
import re
import sys

from backend.settings import ROOT
from tests.support.factories import make_structure
from tests.support.piste import Credentials, Erp


async def test_the_command_line_creates_an_api_client(app):
    structure = await make_structure()
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "backend.cli", "create-api-client", "--siret", structure["identifier"], "--scopes", "search,directory",
        cwd=ROOT, env=os.environ.copy(), stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode == 0, err.decode()
    text = out.decode()
    client_id = re.search(r"client_id\s+: (\S+)", text).group(1)
    secret = re.search(r"client_secret\s+: (\S+)", text).group(1)
    login, password = re.search(r"cpro-account\) : (\S+) / (\S+)", text).groups()
    async with Erp(app, Credentials(client_id, secret, login, password, 0, 0)) as erp:
        token = await erp.get_token()
        assert token.status_code == 200 and token.json()["scope"] == "openid search directory"
        assert (await erp.http.get("/cpro/transverses/v1/health-check", headers=erp.headers())).status_code == 200
    unknown = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "backend.cli", "create-api-client", "--siret", "00000000000000", cwd=ROOT, env=os.environ.copy(),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    _, err = await asyncio.wait_for(unknown.communicate(), 120)
    assert unknown.returncode != 0 and "Aucune structure" in err.decode()
