from backend.domain.connections.seed import DEMO_API_PASSWORD, DEMO_CONNECTIONS
from backend.domain.seed import DEMO_LOGINS, DEMO_PASSWORD, seed_demo
from backend.settings import ROOT
from tests.support.piste import Credentials, Erp
from backend.infra.database import connection
from tests.support.factories import login


async def test_demo_data_is_written_once_and_its_logins_work(client, anonymous):
    first = await seed_demo()
    second = await seed_demo()
    assert "backend.domain.structures.seed.seed_structures" in first
    assert second == []
    async with connection() as conn:
        count = await conn.fetchval("SELECT count(*) FROM user_account WHERE email = ANY($1::text[])", list(DEMO_LOGINS))
        publics = await conn.fetchval("SELECT count(*) FROM structure WHERE is_public AND identifier = ANY($1::text[])",
                                      ["21670447800017", "11000201100044", "26670005100013"])
        invoices = await conn.fetchval("SELECT count(*) FROM invoice i JOIN structure s ON s.id = i.supplier_structure_id "
                                       "WHERE s.identifier = '73282932000074'")
        counted = await conn.fetchval("SELECT sum(c.count) FROM invoice_daily_count c JOIN structure s ON s.id = c.structure_id "
                                      "WHERE c.side = 'S' AND s.identifier = '73282932000074'")
    assert count == 3 and publics == 3
    assert invoices == 40 and counted == 40
    await login(anonymous, DEMO_LOGINS[0], DEMO_PASSWORD)
    assert (await anonymous.get("/api/auth/me")).json()["email"] == DEMO_LOGINS[0]


async def test_the_demo_supplier_and_recipient_have_working_api_credentials(app, client):
    await seed_demo()  # already done by the test above when the file runs whole
    assert "backend.domain.connections.seed.seed_connections" not in await seed_demo()  # once only
    for demo in DEMO_CONNECTIONS:
        credentials = Credentials(demo["client_id"], demo["secret"], demo["login"], DEMO_API_PASSWORD, 0, 0)
        async with Erp(app, credentials) as erp:
            assert (await erp.get_token()).status_code == 200
            found = await erp.call("/cpro/structures/v1/rechercher", {"structure": {"identifiantStructure": demo["sirets"][0]}})
            assert found.status_code == 200 and found.json()["listeStructures"][0]["identifiantStructure"] == demo["sirets"][0]
    readme = (ROOT / "README.md").read_text()
    assert all(demo["client_id"] in readme and demo["secret"] in readme and demo["login"] in readme for demo in DEMO_CONNECTIONS)
    assert DEMO_API_PASSWORD in readme
