"""`flask survey purge`: the unused after-service links that are out of date are deleted (run it daily)."""
import click
from flask import current_app
from flask.cli import AppGroup

from portal.feedback.survey import purge_expired_invitations

survey_cli = AppGroup("survey", help="The 0–10 question after the service.")


@survey_cli.command("purge")
def purge_command():
    """Delete unused survey links older than SURVEY_LINK_DAYS (from the end of their month). Safe to run again."""
    count = purge_expired_invitations()
    days = current_app.config["SURVEY_LINK_DAYS"]
    click.echo(f"Удалены неиспользованные ссылки на опрос старше {days} дн.: {count}.")


def init_app(app):
    app.cli.add_command(survey_cli)
