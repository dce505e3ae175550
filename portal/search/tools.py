"""The site's tools as search documents (section "tool"): «Мой план», the benefit check and the conviction
check are pages of their own, not guides, so a search for «положено ли мне пособие» must find them too.

Each tool area registers its document here through `register(app, key, endpoint, title, keywords, summary)`;
this module hands them to the index as one registered source (portal/search/index.py)."""
import hashlib
import json

from flask import url_for

from portal.search import index as search_index

SECTION = "tool"


def register(app, key, endpoint, title, keywords, summary):
    """Add one tool: its page (`endpoint`), a Russian title, search keywords and a one-line summary."""
    tools = app.extensions.setdefault("search_tools", {})
    tools[f"{SECTION}/{key}"] = {"endpoint": endpoint, "title": title, "keywords": list(keywords),
                                 "summary": summary}
    search_index.register_source(app, SECTION, documents, resolve)


def documents(app):
    tools = app.extensions.get("search_tools", {})
    docs = []
    for key, tool in sorted(tools.items()):
        keywords = "\n".join(tool["keywords"])
        docs.append({"key": key, "section": SECTION, "title": tool["title"], "keywords": keywords,
                     "summary": tool["summary"], "body": tool["summary"],
                     "plain": "\n".join((tool["title"], keywords, tool["summary"]))})
    digest = hashlib.sha256(json.dumps(docs, ensure_ascii=False, sort_keys=True).encode()).hexdigest()
    return (digest, docs) if docs else ("", [])


def resolve(keys):
    from flask import current_app

    tools = current_app.extensions.get("search_tools", {})
    return {key: {"title": tools[key]["title"], "url": url_for(tools[key]["endpoint"]),
                  "label": tools[key]["summary"]} for key in keys if key in tools}
