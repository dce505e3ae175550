"""/search is rate-limited per client, generously, and the limit holds for pages answered from memory too
(security review F-10: 70 searches in 0.9 s from one client, no limit)."""
import pytest

from tests.helpers.app import make_app


def client_at(app, address):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


@pytest.mark.parametrize("query", ["пособие", None], ids=["same-query-cached", "different-queries"])
def test_one_client_is_slowed_after_the_limit_and_another_is_not(tmp_path, limit_storage, query):
    app = make_app(tmp_path, SEARCH_RATE_LIMIT="5 per minute", **limit_storage)
    assert app.extensions["page_cache"] is not None
    busy = client_at(app, "10.9.0.1")
    statuses = [busy.get("/search", query_string={"q": query or f"работа {i}"}).status_code for i in range(7)]
    assert statuses == [200] * 5 + [429, 429]
    refused = busy.get("/search", query_string={"q": query or "ещё"})
    assert "Подождите минуту" in refused.get_data(as_text=True) and refused.headers["Retry-After"]
    assert client_at(app, "10.9.0.2").get("/search", query_string={"q": query or "работа"}).status_code == 200


def test_the_default_limit_leaves_room_for_a_phone_network_behind_one_address(app):
    from limits import parse
    assert parse(app.config["SEARCH_RATE_LIMIT"]).amount >= 60
