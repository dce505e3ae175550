"""Site search: the Whoosh index over the guides and every source an area registers.

- index.py: the Russian analyzers, the schema, building and publishing the index, answering queries;
  `register_source` is how areas (employers, places, vacancies, tools) add their documents
- tools.py: the questionnaires and checks as search results
- stats.py: anonymous counts of what people search for and do not find
- views.py: /search and /search/suggest, rate-limited per client
"""


def init_app(app):
    from portal.search import index, views

    index.init_app(app)
    app.register_blueprint(views.bp)


def build_on_start(app):
    """After every area has registered its sources: build the index if it is missing or stale."""
    from portal.search import index

    index.build_on_start(app)
