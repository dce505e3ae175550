"""The guides: plain-language Markdown pages in portal/content/, their glossary and their pages.

- content.py: loading and validating the library
- rendering.py: Markdown to safe HTML, the table of contents, the text of each block
- lint.py: the plain-language lint (run by `flask content check`)
- glossary.py: the official words the guides explain, and their «Коротко» boxes
- views.py: home, sections, guides, /slovar, the sitemap and robots.txt
- cli.py: `flask content check` (guides, glossary and the rules files the areas register)
"""


def init_app(app):
    from portal.guides import cli, content, views

    app.extensions["content"] = content.load_library(app.config["CONTENT_DIR"])
    app.register_blueprint(views.bp)
    app.jinja_env.globals.update(canonical_url=views.canonical_url,
                                 content_sections=lambda: content.get_library().ordered_sections())
    cli.init_app(app)
