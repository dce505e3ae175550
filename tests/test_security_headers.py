"""The exact security headers on every page type, including errors and static files."""
import pytest

from portal import create_app
from tests.helpers.pages import EXPECTED

PAGE_TYPES = ["/", "/posobie/", "/posobie/kto-poluchaet", "/en/", "/no-such-page", "/sitemap.xml",
              "/robots.txt", "/static/site.css"]


@pytest.mark.parametrize("url", PAGE_TYPES)
def test_every_page_type_carries_the_exact_security_headers(client, url):
    response = client.get(url)
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, name
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert "X-XSS-Protection" not in response.headers


@pytest.mark.parametrize("url", ["/", "/posobie/kto-poluchaet", "/robots.txt", "/static/site.css"])
def test_text_responses_declare_utf8(client, url):
    assert "charset=utf-8" in client.get(url).headers["Content-Type"].lower()


def test_no_hsts_in_debug_mode_where_the_dev_server_is_plain_http(tmp_path):
    app = create_app({"DEBUG": True, "SECRET_KEY": "k" * 40, "DATABASE_URL": f"sqlite:///{tmp_path}/d.db",
                      "SEARCH_INDEX_DIR": str(tmp_path / "idx")})
    assert "Strict-Transport-Security" not in app.test_client().get("/").headers


def test_git_folder_is_never_served(client):
    assert client.get("/.git/config").status_code == 404
