"""A missing, corrupt or changing index never takes the site down (security item 63)."""
import logging
import shutil
import threading
from pathlib import Path

import pytest

from portal.search import index as search_index
from portal.search.index import POINTER, current_version, rebuild
from tests.helpers.app import make_app
from tests.helpers.search import page_text, result_keys

UNAVAILABLE = "Поиск временно недоступен."


def _published(app):
    folder = Path(app.config["SEARCH_INDEX_DIR"])
    return folder / current_version(folder)


def _assert_unavailable_page(response, app):
    assert response.status_code == 200
    text = page_text(response)
    assert UNAVAILABLE in text and "Traceback" not in text
    # The guide list stands in for search: every guide is one tap away.
    html = response.get_data(as_text=True)
    for guide in app.extensions["content"].guides.values():
        assert f'href="/{guide.key}"' in html


def _search_errors(caplog):
    return [r for r in caplog.records if r.name == "portal.search" and r.levelno >= logging.ERROR]


def test_missing_index_says_search_is_unavailable_and_guides_still_serve(tmp_path, caplog):
    app = make_app(tmp_path, SEARCH_BUILD_ON_START=False)
    client = app.test_client()
    _assert_unavailable_page(client.get("/search?q=пособие"), app)
    _assert_unavailable_page(client.get("/search?q=паспорт"), app)
    assert len(_search_errors(caplog)) == 1  # one error, not one per request
    assert client.get("/posobie/kto-poluchaet").status_code == 200
    assert client.get("/search/suggest?q=пос").get_json() == []


def test_deleting_the_index_while_running_degrades_then_start_up_rebuilds_it(app, client, tmp_path):
    assert result_keys(client.get("/search?q=пособие"))
    shutil.rmtree(app.config["SEARCH_INDEX_DIR"])
    _assert_unavailable_page(client.get("/search?q=справка"), app)
    assert client.get("/").status_code == 200
    (tmp_path / "restart").mkdir()
    restarted = make_app(tmp_path / "restart", SEARCH_INDEX_DIR=app.config["SEARCH_INDEX_DIR"])
    assert result_keys(restarted.test_client().get("/search?q=справка"))


def _corrupt_toc(app):
    for toc in _published(app).glob("_MAIN_*.toc"):
        toc.write_bytes(b"\x00garbage" * 10)


def _corrupt_segments(app):
    for segment in _published(app).glob("*.seg"):
        data = segment.read_bytes()
        segment.write_bytes(data[: len(data) // 3] + b"\xff" * 64)


@pytest.mark.parametrize("damage", [_corrupt_toc, _corrupt_segments], ids=["toc", "segments"])
def test_a_corrupt_index_says_search_is_unavailable(app, client, caplog, damage):
    damage(app)
    for q in ("пособие", "паспорт", "справка о судимости"):
        response = client.get(f"/search?q={q}")
        assert response.status_code == 200
        assert UNAVAILABLE in page_text(response) or result_keys(response) == []
    assert UNAVAILABLE in page_text(client.get("/search?q=работа"))
    assert client.get("/posobie/kto-poluchaet").status_code == 200
    assert 1 <= len(_search_errors(caplog)) <= 2  # logged once per failure kind, not per request


def test_start_up_rebuilds_a_corrupt_index(app, tmp_path):
    _corrupt_toc(app)
    assert search_index.index_status(app.config["SEARCH_INDEX_DIR"], search_index.index_inputs(app)[1]) \
        == "corrupt"
    (tmp_path / "again").mkdir()
    again = make_app(tmp_path / "again", SEARCH_INDEX_DIR=app.config["SEARCH_INDEX_DIR"])
    assert result_keys(again.test_client().get("/search?q=пособие"))


def test_a_failed_start_up_build_logs_and_the_site_still_starts(tmp_path, caplog, monkeypatch):
    def no_disk(*_args, **_kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr(search_index, "build_index", no_disk)
    app = make_app(tmp_path)
    assert app.test_client().get("/").status_code == 200
    assert any("could not be built" in r.getMessage() for r in _search_errors(caplog))
    _assert_unavailable_page(app.test_client().get("/search?q=пособие"), app)


def test_rebuilding_while_searching_never_fails_a_request(real_index_builds, app):
    statuses, found, errors = [], [], []
    stop = threading.Event()

    def search_repeatedly(q):
        client = app.test_client()
        try:
            while not stop.is_set():
                response = client.get(f"/search?q={q}")
                statuses.append(response.status_code)
                found.append(bool(result_keys(response)))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=search_repeatedly, args=(q,))
               for q in ("пособие", "справка о судимости", "gjcj,bt", "пасобие")]
    for t in threads:
        t.start()
    try:
        for _ in range(6):
            rebuild(app)
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert not errors
    assert len(statuses) >= 20 and set(statuses) == {200}
    assert all(found), "a search during a swap found nothing: a reader saw a half-built index"
    assert len([p for p in Path(app.config["SEARCH_INDEX_DIR"]).iterdir()
                if p.name.startswith(search_index.BUILD_PREFIX)]) == 2
    assert (Path(app.config["SEARCH_INDEX_DIR"]) / POINTER).is_symlink()
