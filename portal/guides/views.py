"""Home, section and guide pages, plus sitemap.xml and robots.txt."""
from flask import Blueprint, abort, current_app, render_template, request, url_for

from portal.guides.content import get_library
from portal.i18n import current_lang, localized_route
from portal.page_cache import cache_response

bp = Blueprint("guides", __name__)

# The guide most people need first, shown above the section tiles.
START_GUIDE = "kuda-idti/pervye-30-dney"


@localized_route(bp, "/")
def home():
    cache_response()  # the same page for every reader until the worker restarts
    library = get_library()
    start, _ = library.guide(START_GUIDE, current_lang())
    return render_template("guides/home.html", sections=library.ordered_sections(), start_guide=start)


@localized_route(bp, "/<section_slug>/")
def section(section_slug):
    cache_response()  # the same page for every reader until the worker restarts
    library = get_library()
    found = library.sections.get(section_slug)
    if found is None:
        abort(404)
    lang = current_lang()
    guides = [library.guide(g.key, lang)[0] for g in library.section_guides(section_slug)]
    return render_template("guides/section.html", section=found, guides=guides)


@localized_route(bp, "/<section_slug>/<slug>")
def guide(section_slug, slug):
    cache_response()  # the same page for every reader until the worker restarts
    library = get_library()
    found, is_fallback = library.guide(f"{section_slug}/{slug}", current_lang())
    if found is None:
        abort(404)
    related = [library.guide(key, current_lang())[0] for key in found.related]
    show_toc = len(found.toc) >= current_app.config["CONTENT_TOC_MIN_HEADINGS"]
    return render_template("guides/guide.html", guide=found, section=library.sections[found.section],
                           related=related, is_fallback=is_fallback, show_toc=show_toc)


@bp.route("/sitemap.xml")
def sitemap():
    library = get_library()
    site = current_app.config["SITE_URL"].rstrip("/")
    entries = [(site + url_for("guides.home", lang_code="ru"), None)]
    entries += [(site + url_for("guides.section", section_slug=s.slug, lang_code="ru"), None)
                for s in library.ordered_sections()]
    entries += [(site + url_for("guides.guide", section_slug=g.section, slug=g.slug, lang_code="ru"), g.updated)
                for g in sorted(library.guides.values(), key=lambda g: g.key)]
    # The other public tools: listed only when their area is installed.
    entries += [(site + url_for(endpoint, lang_code="ru"), None)
                for endpoint in ("search.results", "apply.form", "plan.questionnaire", "conviction.questions",
                                 "employers.directory", "feedback.leaflet", "guides.accessibility", "guides.glossary")
                if endpoint in current_app.view_functions]
    body = render_template("guides/sitemap.xml", entries=entries)
    return current_app.response_class(body, mimetype="application/xml")


@bp.route("/robots.txt")
def robots():
    site = current_app.config["SITE_URL"].rstrip("/")
    body = f"User-agent: *\nDisallow: /staff\nDisallow: /search\nSitemap: {site}/sitemap.xml\n"
    return current_app.response_class(body, mimetype="text/plain")


def canonical_url():
    """The page's public address with no query string: used for OpenGraph and for sharing."""
    return current_app.config["SITE_URL"].rstrip("/") + request.path


@localized_route(bp, "/slovar")
def glossary():
    """Every official word the guides explain where they use it (portal/content/glossary.yaml)."""
    cache_response()  # the same page for every reader until the worker restarts
    library = get_library()
    guides = {term.guide: library.guide(term.guide, current_lang())[0] for term in library.glossary if term.guide}
    return render_template("guides/glossary.html", terms=library.glossary, guides=guides)


@localized_route(bp, "/dostupnost")
def accessibility():
    """The accessibility statement: what was tested, with what, known gaps, how to report a problem."""
    return render_template("pages/accessibility.html")
