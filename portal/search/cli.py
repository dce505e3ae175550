"""`flask search …`: building the index by hand and the statistics report and purge."""
import time

import click
from flask import current_app
from flask.cli import AppGroup

from portal.search import stats as search_stats
from portal.search.index import rebuild

search_cli = AppGroup("search", help="The search index and the anonymous search statistics.")


@search_cli.command("build")
def build_command():
    """Rebuild the index from the guides into a new folder and publish it."""
    started = time.perf_counter()
    name = rebuild(current_app._get_current_object(), force=True)
    click.echo(f"Индекс поиска собран: {name}, материалов: {len(current_app.extensions['content'].guides)}, "
               f"{time.perf_counter() - started:.2f} с.")


@search_cli.command("report")
@click.option("--limit", default=20, show_default=True, help="Rows in each list.")
def report_command(limit):
    """Top queries and top queries that found nothing (only those counted 3+ times)."""
    click.echo(search_stats.report_text(limit=limit))


@search_cli.command("purge")
def purge_command():
    """Delete statistics older than SEARCH_STATS_KEEP_DAYS."""
    click.echo(f"Удалено строк: {search_stats.purge_and_commit()}")
