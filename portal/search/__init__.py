"""Site search: the Whoosh index over the guides and every source an area registers.

- analysis.py: the Russian analyzers (lemmas, stems, stop words) and the query text rules (sanitising,
  the layout fix, edit distance), shared with the vacancy search
- synonyms.py: the slang dictionary portal/content/synonyms.yaml
- index.py: the schema, building and publishing the index, its status, opening it per worker;
  `register_source` is how areas (employers, places, vacancies, tools) add their documents
- query.py: answering queries: the parser, the speller, a result page, autocomplete
- snippets.py: the marked excerpt of each hit
- cli.py: `flask search build|report|purge`
- tools.py: the questionnaires and checks as search results
- stats.py: anonymous counts of what people search for and do not find
- views.py: /search and /search/suggest, rate-limited per client
"""
from pathlib import Path


def init_app(app):
    """Load the synonyms (fail loudly) and register the CLI; `build_on_start` runs once the areas have
    registered their sources."""
    from portal.health import register_readiness_check
    from portal.search import views
    from portal.search.cli import search_cli
    from portal.search.index import IndexHolder
    from portal.search.query import search
    from portal.search.synonyms import load_synonyms

    config = app.config
    synonyms_file = config.get("SEARCH_SYNONYMS_FILE") or Path(config["CONTENT_DIR"]) / "synonyms.yaml"
    app.extensions["search_synonyms"] = load_synonyms(synonyms_file)
    app.extensions["search_index"] = IndexHolder(config["SEARCH_INDEX_DIR"], config["SEARCH_CACHE_SIZE"])
    app.cli.add_command(search_cli)
    register_readiness_check(app, "search_index", lambda: search("пособие", page=1, lang="ru"))
    app.register_blueprint(views.bp)


def build_on_start(app):
    """After every area has registered its sources: build the index if it is missing or stale."""
    from portal.search import index

    index.build_on_start(app)
