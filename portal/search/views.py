"""The search page and the autocomplete endpoint: thin views over portal.search.query.

Search responses are `Cache-Control: private, no-store` (a query can say a lot about a person), set no
cookie and log nothing about the query; only the anonymous daily count in portal.search.stats is kept.
"""

from flask import Blueprint, abort, current_app, jsonify, make_response, render_template, request, url_for
from limits import parse

from portal.extensions import client_key_for, limit_key_prefix, limiter
from portal.guides.content import get_library
from portal.i18n import current_lang, localized_route
from portal.logs import security_event
from portal.page_cache import cache_response
from portal.search import query as search_query
from portal.search import stats as search_stats
from portal.search.index import SearchUnavailable

bp = Blueprint("search", __name__)

NO_STORE = "private, no-store"


def _page_number():
    try:
        return max(1, min(int(request.args.get("page", "1")), search_query.MAX_PAGES))
    except ValueError:
        return 1


def _popular_guides(lang):
    library = get_library()
    keys = [k for k in current_app.config["SEARCH_POPULAR_GUIDES"] if k in library.guides]
    return [library.guide(key, lang)[0] for key in keys]


def _urgent_places():
    """Where to sleep tonight and the centre's offices, for the page that found nothing (issue 15)."""
    find = current_app.jinja_env.globals.get("places_of_kind")
    if find is None:
        return []
    return [place for kind in ("shelter", "centre") for place in find(kind)][:6]


def _all_guides_by_section(lang):
    library = get_library()
    return [(section, [library.guide(g.key, lang)[0] for g in library.section_guides(section.slug)])
            for section in library.ordered_sections()]


def _results_view(outcome, lang):
    """Pair every hit with its guide in the interface language, or with what its registered source shows.

    A hit the library or its source no longer has is dropped: an employer card or a place can be hidden or
    age out after the index was built.
    """
    library = get_library()
    sources = current_app.extensions.get("search_sources", {})
    shown = _resolve_source_hits(outcome.hits, sources)
    rows = []
    for hit in outcome.hits:
        if hit.section in sources:
            if (hit.section, hit.key) in shown:
                shown_as, value = shown[(hit.section, hit.key)]
                rows.append({shown_as: value, "snippet": hit.snippet})
            continue
        guide, _fallback = library.guide(hit.key, lang)
        section = library.sections.get(hit.section)
        if guide is None or section is None:
            continue
        translated = guide.lang != "ru"
        rows.append({"guide": guide, "section": section, "snippet": None if translated else hit.snippet})
    return rows


def _resolve_source_hits(hits, sources):
    """{(section, key): (shown_as, value)} for the hits of registered sources whose items are still public."""
    shown = {}
    for section, source in sources.items():
        keys = [hit.key for hit in hits if hit.section == section]
        if source.resolve is not None and keys:
            shown.update({(section, key): (source.shown_as, value) for key, value in source.resolve(keys).items()})
    return shown


def _count_again(raw, searched, found):
    """For a result page answered from memory: count that search like the first one."""
    app = current_app._get_current_object()

    def count():
        with app.app_context():
            search_stats.record(raw, searched, found=found)
    return count


SEARCH_CHECKED = "portal.search_limit_checked"


def search_allowed(app, environ):
    """Count one search for this client and say whether it is within SEARCH_RATE_LIMIT. Runs before the page
    cache answers from memory and before the view renders, once per request (the flag in the environ)."""
    if SEARCH_CHECKED in environ:
        return environ[SEARCH_CHECKED]
    with app.app_context():
        allowed = True
        if app.config.get("RATELIMIT_ENABLED", True):
            item = parse(str(app.config["SEARCH_RATE_LIMIT"]))
            client = client_key_for(environ.get("REMOTE_ADDR"), app.config["SECRET_KEY"])
            allowed = limiter.limiter.hit(item, limit_key_prefix(app.config), "search", client)
            if not allowed:
                security_event("rate_limited", endpoint="search.results")
    environ[SEARCH_CHECKED] = allowed
    return allowed


@localized_route(bp, "/search")
def results():
    app = current_app._get_current_object()
    if not search_allowed(app, request.environ):
        abort(429)
    raw = request.args.get("q", "")
    page = _page_number()
    lang = current_lang()
    context = {"raw_query": raw, "outcome": None, "rows": [], "unavailable": False}
    on_hit = None
    if raw.strip():
        try:
            outcome = search_query.search(raw, page=page, lang=lang)
        except SearchUnavailable:
            context.update(unavailable=True, sections=_all_guides_by_section(lang))
        else:
            context.update(outcome=outcome, rows=_results_view(outcome, lang))
            if page == 1 and outcome.searched.strip():
                search_stats.record(raw, outcome.searched, found=outcome.total > 0)
                on_hit = _count_again(raw, outcome.searched, outcome.total > 0)
    # The finished page is reused for a minute (portal/page_cache.py), and each reuse still counted; never
    # while search is down (so it recovers at once) or when it shows employer cards, which staff can hide.
    # Places and tools may be cached: a staff change to a place empties the cache in every worker.
    if not context["unavailable"] and not any("employer" in row for row in context["rows"]):
        cache_response(ttl=current_app.config["SEARCH_PAGE_CACHE_SECONDS"], on_hit=on_hit,
                       guard=lambda environ: search_allowed(app, environ))
    if context["unavailable"] is False and not context["rows"]:
        context["popular"] = _popular_guides(lang)
        context["urgent_places"] = _urgent_places()
    response = make_response(render_template("search/results.html", **context))
    response.headers["Cache-Control"] = NO_STORE
    return response


@bp.route("/search/suggest")
def suggest():
    """Up to SEARCH_SUGGEST_LIMIT guides whose title or keywords start like the typed words."""
    lang = request.args.get("lang", "ru")
    lang = lang if lang in current_app.config["LANGUAGES"] else "ru"
    library = get_library()
    items = []
    try:
        keys = search_query.suggest(request.args.get("q", ""), current_app.config["SEARCH_SUGGEST_LIMIT"])
    except SearchUnavailable:
        keys = []
    for key in keys:
        guide, _fallback = library.guide(key, lang)
        if guide is not None:
            items.append({"title": guide.title,
                          "url": url_for("guides.guide", section_slug=guide.section, slug=guide.slug,
                                         lang_code=lang)})
    response = make_response(jsonify(items))
    response.headers["Cache-Control"] = NO_STORE
    return response
