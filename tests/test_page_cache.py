"""Cached public pages (portal/page_cache.py), batched search counts and the reverse-proxy client address."""
import pytest
from flask import make_response
from sqlalchemy import func, select

from portal import page_cache
from portal.extensions import db
from portal.page_cache import cache_response, encoding_key
from portal.search import stats as search_stats
from portal.search.stats import SearchQueryDay
from tests.helpers.app import make_app

GUIDE = "/posobie/kto-poluchaet"
BROWSER = {"Accept-Encoding": "gzip, deflate, br, zstd"}
SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin"}


def cache_of(app):
    return app.extensions["page_cache"]


def counted(app, query):
    with app.app_context():
        return db.session.execute(select(func.sum(SearchQueryDay.count))
                                  .where(SearchQueryDay.query == query)).scalar() or 0


def test_a_guide_is_rendered_once_and_then_answered_from_memory_with_the_same_bytes_and_headers(app):
    client = app.test_client()
    first = client.get(GUIDE, headers=BROWSER)
    assert first.status_code == 200 and first.headers["Content-Encoding"] == "br"
    stores = cache_of(app).stores
    second = client.get(GUIDE, headers=BROWSER)
    assert cache_of(app).stores == stores and cache_of(app).hits >= 1
    assert second.data == first.data
    assert sorted(second.headers.items()) == sorted(first.headers.items())
    assert second.headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert second.headers["Vary"] == "Accept-Encoding"
    assert "Set-Cookie" not in second.headers


def test_each_compression_is_kept_apart_and_equivalent_accept_encodings_share_one_entry(app):
    client = app.test_client()
    plain = client.get(GUIDE)
    brotli = client.get(GUIDE, headers=BROWSER)
    gzip = client.get(GUIDE, headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in plain.headers
    assert (brotli.headers["Content-Encoding"], gzip.headers["Content-Encoding"]) == ("br", "gzip")
    assert len({plain.data, brotli.data, gzip.data}) == 3
    stores = cache_of(app).stores
    again = client.get(GUIDE, headers={"Accept-Encoding": "zstd,br, deflate ,gzip"})
    assert again.data == brotli.data and cache_of(app).stores == stores


def test_a_head_request_from_memory_has_the_headers_and_no_body(app):
    client = app.test_client()
    full = client.get(GUIDE)
    head = client.head(GUIDE)
    assert head.status_code == 200 and head.data == b""
    assert head.headers["Content-Length"] == full.headers["Content-Length"] == str(len(full.data))


@pytest.mark.parametrize("url", [GUIDE + "?utm=1", "/posobie/no-such-guide", "/no-such-page"])
def test_pages_with_a_query_string_and_errors_are_never_stored(app, url):
    client = app.test_client()
    for _ in range(2):
        client.get(url)
    assert len(cache_of(app)) == 0


def test_a_post_never_reads_or_fills_the_cache(app):
    client = app.test_client()
    client.get(GUIDE)
    stores, hits = cache_of(app).stores, cache_of(app).hits
    response = client.post(GUIDE, data={"x": "1"})
    assert response.status_code == 405
    assert (cache_of(app).stores, cache_of(app).hits) == (stores, hits)


def test_a_response_that_sets_a_cookie_or_varies_on_another_header_is_never_stored(tmp_path):
    app = make_app(tmp_path)

    @app.route("/test-cookie")
    def with_cookie():
        cache_response()
        response = make_response("a page" * 100)
        response.set_cookie("x", "1")
        return response

    @app.route("/test-vary")
    def with_vary():
        cache_response()
        response = make_response("a page" * 100)
        response.headers["Vary"] = "Cookie"
        return response

    client = app.test_client()
    for url in ("/test-cookie", "/test-vary") * 2:
        assert client.get(url).status_code == 200
    assert len(cache_of(app)) == 0


def test_accept_encoding_is_reduced_to_known_codings_and_their_weights():
    assert encoding_key("gzip, deflate, br, zstd") == encoding_key("zstd,br,deflate,gzip")
    assert encoding_key("br;q=0.5, gzip") != encoding_key("br, gzip")
    assert encoding_key("made-up, br") == encoding_key("br")
    assert encoding_key("") == ()
    assert encoding_key("br, " * 100) is None


def test_the_cache_is_off_in_debug_mode_where_templates_reload(tmp_path):
    app = make_app(tmp_path, DEBUG=True)
    assert app.extensions["page_cache"] is None
    assert app.test_client().get(GUIDE).status_code == 200


def test_a_full_pool_of_content_pages_just_renders_further_pages(tmp_path):
    app = make_app(tmp_path, PAGE_CACHE_MAX_PAGES=1)
    client = app.test_client()
    client.get(GUIDE)
    other = client.get("/posobie/")
    assert other.status_code == 200 and len(cache_of(app).pages) == 1


def test_a_repeated_search_is_answered_from_memory_and_still_counted_every_time(app):
    client = app.test_client()
    pages = [client.get("/search", query_string={"q": "пособие"}) for _ in range(3)]
    assert all(p.status_code == 200 for p in pages)
    assert pages[0].data == pages[1].data == pages[2].data
    assert pages[2].headers["Cache-Control"] == "private, no-store"
    assert len(cache_of(app).short) == 1 and cache_of(app).hits == 2
    assert counted(app, "пособие") == 3


def test_a_search_result_page_is_rendered_again_once_its_minute_is_over(app, monkeypatch):
    client = app.test_client()
    now = [1000.0]
    monkeypatch.setattr(page_cache.time, "monotonic", lambda: now[0])
    client.get("/search", query_string={"q": "паспорт"})
    stores = cache_of(app).stores
    now[0] += app.config["SEARCH_PAGE_CACHE_SECONDS"] - 1
    client.get("/search", query_string={"q": "паспорт"})
    assert cache_of(app).stores == stores
    now[0] += 2
    client.get("/search", query_string={"q": "паспорт"})
    assert cache_of(app).stores == stores + 1
    assert counted(app, "паспорт") == 3


def test_search_result_pages_are_evicted_least_recently_used_first(tmp_path):
    app = make_app(tmp_path, PAGE_CACHE_MAX_SHORT=2)
    client = app.test_client()
    for q in ("пособие", "паспорт", "работа"):
        client.get("/search", query_string={"q": q})
    assert len(cache_of(app).short) == 2
    assert not any("%D0%BF%D0%BE%D1%81" in key[2] for key in cache_of(app).short)


def test_a_search_while_the_index_is_unavailable_is_never_kept(tmp_path):
    app = make_app(tmp_path, SEARCH_BUILD_ON_START=False, SEARCH_INDEX_DIR=str(tmp_path / "missing"))
    client = app.test_client()
    response = client.get("/search", query_string={"q": "пособие"})
    assert response.status_code == 200
    assert len(cache_of(app)) == 0


def test_batched_search_counts_are_written_together_later_and_none_is_lost(tmp_path, monkeypatch):
    app = make_app(tmp_path, SEARCH_STATS_FLUSH_SECONDS=10, PAGE_CACHE_ENABLED=False)
    client = app.test_client()
    now = [500.0]
    monkeypatch.setattr(search_stats.time, "monotonic", lambda: now[0])
    for q in ("пособие", "пособие", "паспорт"):
        assert client.get("/search", query_string={"q": q}).status_code == 200
    assert counted(app, "пособие") == 0  # still in the worker's memory
    now[0] += 10
    client.get("/search", query_string={"q": "пособие"})
    assert (counted(app, "пособие"), counted(app, "паспорт")) == (3, 1)


def test_staff_figures_include_this_workers_counts_not_yet_written(tmp_path):
    app = make_app(tmp_path, SEARCH_STATS_FLUSH_SECONDS=3600, PAGE_CACHE_ENABLED=False, SEARCH_STATS_MIN_COUNT=1)
    client = app.test_client()
    for _ in range(3):
        client.get("/search", query_string={"q": "ночлег"})
    with app.app_context():
        assert search_stats.visible_queries() == [("ночлег", 3)]


def test_many_different_queries_are_written_before_the_interval_is_over(tmp_path):
    app = make_app(tmp_path, SEARCH_STATS_FLUSH_SECONDS=3600, SEARCH_STATS_FLUSH_ROWS=2,
                   PAGE_CACHE_ENABLED=False)
    client = app.test_client()
    client.get("/search", query_string={"q": "пособие"})
    assert counted(app, "пособие") == 0
    client.get("/search", query_string={"q": "паспорт"})
    assert (counted(app, "пособие"), counted(app, "паспорт")) == (1, 1)


def vote(client, forwarded_for=None):
    headers = dict(SAME_ORIGIN)
    if forwarded_for:
        headers["X-Forwarded-For"] = forwarded_for
    return client.post("/otzyv", data={"page": GUIDE, "answer": "yes"}, headers=headers).status_code


def test_without_proxy_fix_every_visitor_behind_nginx_counts_as_one_client(tmp_path):
    client = make_app(tmp_path, FEEDBACK_RATE_LIMIT="1 per hour").test_client()
    assert [vote(client, "203.0.113.1"), vote(client, "203.0.113.2")] == [303, 429]


def test_with_proxy_fix_each_visitor_gets_their_own_rate_limit(tmp_path):
    client = make_app(tmp_path, FEEDBACK_RATE_LIMIT="1 per hour", PROXY_FIX_X_FOR=1).test_client()
    assert [vote(client, "203.0.113.1"), vote(client, "203.0.113.2"), vote(client, "203.0.113.1")] == \
        [303, 303, 429]


def test_proxy_fix_trusts_only_the_address_nginx_appended(tmp_path):
    """A visitor's own forged X-Forwarded-For comes first; nginx's `$remote_addr` is the last entry."""
    client = make_app(tmp_path, FEEDBACK_RATE_LIMIT="1 per hour", PROXY_FIX_X_FOR=1).test_client()
    assert vote(client, "10.0.0.1, 203.0.113.9") == 303
    assert vote(client, "10.0.0.2, 203.0.113.9") == 429
