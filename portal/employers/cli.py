"""`flask employers purge|stale`, and the sample cards of `flask demo load|clear` (portal/cli.py)."""
import click
from flask import current_app
from flask.cli import AppGroup

from portal.employers.cards import purge_contacts, staff_groups
from portal.employers.demo import clear_demo, load_demo
from portal.employers.search import refresh_search

employers_cli = AppGroup("employers", help="The friendly-employers directory.")


@employers_cli.command("purge")
@click.option("--days", type=click.IntRange(min=0), default=None,
              help="Erase contacts of cards hidden more than this many days ago "
                   "(default: EMPLOYER_CONTACT_RETENTION_DAYS, 30).")
def purge_command(days):
    """Erase the representatives' contacts of long-hidden cards. Safe to run again; run it daily."""
    if days is None:
        days = int(current_app.config["EMPLOYER_CONTACT_RETENTION_DAYS"])
    count = purge_contacts(days)
    click.echo(f"Удалены контактные данные работодателей, скрытых более {days} дн. назад: {count}.")


@employers_cli.command("stale")
def stale_command():
    """List cards that dropped off the public list because their confirmation is too old."""
    stale = staff_groups()["stale"]
    for card in stale:
        click.echo(f"{card.id}\t{card.confirmed_at:%d.%m.%Y}\t{card.name}")
    click.echo(f"Нужно подтвердить заново: {len(stale)}.")


def init_app(app):
    from portal.cli import register_demo_set

    app.cli.add_command(employers_cli)
    register_demo_set(app, "работодатели", load_demo, clear_demo, refresh=refresh_search)
