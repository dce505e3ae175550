"""Guides' Markdown to safe HTML: relative `.md` links rewritten to site routes, raw HTML stripped (nh3 with an
allow-list), the table of contents, and the text of each block for the lint and the search index."""
import posixpath
import re
from html.parser import HTMLParser

import markdown
import nh3
from markdown.extensions import Extension
from markdown.extensions.toc import slugify_unicode
from markdown.treeprocessors import Treeprocessor

ALLOWED_TAGS = {"p", "h2", "h3", "h4", "ul", "ol", "li", "a", "strong", "em", "b", "i", "table", "thead",
                "tbody", "tr", "th", "td", "blockquote", "code", "pre", "hr", "br", "abbr", "dl", "dt", "dd"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "ol": {"start"},
                      "th": {"scope"}, "abbr": {"title"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


class _GuideLinks(Treeprocessor):
    """Rewrite relative `.md` links to site routes and record which guides they point to."""

    def __init__(self, md, source_key, url_prefix):
        super().__init__(md)
        self.source_key = source_key
        self.url_prefix = url_prefix
        self.found = []

    def run(self, root):
        base = posixpath.dirname(self.source_key)
        for link in root.iter("a"):
            href = link.get("href", "")
            path, _, anchor = href.partition("#")
            if "://" in path or path.startswith(("mailto:", "tel:")) or not path.endswith(".md"):
                continue
            target = posixpath.normpath(posixpath.join(base, path))[: -len(".md")]
            target = re.sub(r"\.[a-z]{2}$", "", target)  # a link to slug.en.md means the guide itself
            self.found.append(target)
            link.set("href", f"{self.url_prefix}{target}" + (f"#{anchor}" if anchor else ""))


class _GuideLinksExtension(Extension):
    def __init__(self, processor):
        super().__init__()
        self.processor = processor

    def extendMarkdown(self, md):  # noqa: N802 (Markdown's API name)
        md.treeprocessors.register(self.processor, "guide_links", 5)


def render_markdown(body, source_key, lang="ru"):
    """Markdown -> (sanitised HTML, toc entries, linked guide keys). Raw HTML never survives."""
    prefix = "/" if lang == "ru" else f"/{lang}/"
    links = _GuideLinks(None, source_key, prefix)
    md = markdown.Markdown(extensions=["toc", "tables", "attr_list", "sane_lists", _GuideLinksExtension(links)],
                           extension_configs={"toc": {"slugify": slugify_unicode, "toc_depth": "2-3"}})
    links.md = md
    raw_html = md.convert(body)
    html = nh3.clean(raw_html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel="noopener noreferrer", strip_comments=True)
    toc = [{"id": t["id"], "name": t["name"], "level": t["level"]} for t in _flatten_toc(md.toc_tokens)]
    return html, toc, links.found


def _flatten_toc(tokens):
    for token in tokens:
        yield token
        yield from _flatten_toc(token.get("children", []))


class _BlockText(HTMLParser):
    """Collect the text of block elements: a list item or a table cell is its own block."""

    KINDS = {"p": "p", "li": "li", "h2": "h", "h3": "h", "h4": "h", "td": "td", "th": "td", "dt": "p",
             "dd": "p", "blockquote": "p", "pre": "p"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks = []
        self.stack = []
        self.buffer = []

    def _flush(self):
        text = re.sub(r"\s+", " ", "".join(self.buffer)).strip()
        if text and self.stack:
            self.blocks.append((self.stack[-1], text))
        self.buffer = []

    def handle_starttag(self, tag, attrs):
        if tag in self.KINDS:
            self._flush()
            self.stack.append(self.KINDS[tag])
        elif tag in ("ul", "ol", "table", "br"):
            self._flush()

    def handle_endtag(self, tag):
        if tag in self.KINDS and self.stack:
            self._flush()
            self.stack.pop()

    def handle_data(self, data):
        self.buffer.append(data)


def html_blocks(html):
    parser = _BlockText()
    parser.feed(html)
    parser.close()
    return parser.blocks
