"""Fixtures for the search tests: the real guides indexed once per session and an app that reads them.

Tests that break, delete or rebuild an index use the shared `app` fixture instead, which builds its own.
"""
import pytest

from portal.search import query as search_query
from tests.helpers.app import make_app
from tests.helpers.pages import page_getter


@pytest.fixture(scope="session")
def shared_index_dir(tmp_path_factory):
    """An index over the real guides; apps pointing here find it up to date and build nothing."""
    folder = tmp_path_factory.mktemp("shared-search")
    make_app(folder, SEARCH_INDEX_DIR=str(folder / "index"))
    return folder / "index"


@pytest.fixture(scope="module")
def search_app(tmp_path_factory, shared_index_dir):
    """An app over the real guides and the shared index: for tests that only read."""
    return make_app(tmp_path_factory.mktemp("search-app"), SEARCH_INDEX_DIR=str(shared_index_dir))


@pytest.fixture
def search_client(search_app):
    return search_app.test_client()


@pytest.fixture
def search_page(search_client):
    return page_getter(search_client)


@pytest.fixture
def run_search(search_app):
    """run_search(text, page=1, per_page=10) -> Outcome, on a searcher of the shared index."""
    holder = search_app.extensions["search_index"]
    synonyms = search_app.extensions["search_synonyms"]
    with holder.searcher() as (searcher, _version):
        yield lambda text, **options: search_query.search_page(searcher, text, synonyms, **options)


@pytest.fixture
def reader(search_app):
    """An index reader of the shared index."""
    with search_app.extensions["search_index"].searcher() as (searcher, _version):
        yield searcher.reader()
