"""`flask staff …`: creating, resetting, disabling, enabling, unlocking and listing staff accounts."""
import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from portal.extensions import db
from portal.staff.auth import StaffError, create_staff, disable_staff, enable_staff, reset_staff, unlock_staff
from portal.staff.models import StaffUser

staff_cli = AppGroup("staff", help="Staff accounts of the desk at /staff.")


def _run(action, *args):
    try:
        return action(*args)
    except StaffError as error:
        raise click.ClickException(str(error)) from None


def _print_link(link):
    hours = current_app.config["STAFF_SETUP_HOURS"]
    click.echo(f"Одноразовая ссылка (действует {hours} ч, открыть можно один раз до конца настройки):")
    click.echo(link)
    click.echo(
        "Передайте её сотруднику лично или по рабочему каналу. По ссылке он задаст пароль "
        "и подключит приложение для кодов."
    )


@staff_cli.command("create")
@click.argument("username")
def create_command(username):
    """Add a staff member and print a one-time setup link."""
    _print_link(_run(create_staff, username))


@staff_cli.command("reset-password")
@click.argument("username")
def reset_command(username):
    """Sign the person out everywhere and print a new setup link (password and codes are set anew)."""
    _print_link(_run(reset_staff, username))


@staff_cli.command("disable")
@click.argument("username")
def disable_command(username):
    """Block the account and end its sessions at once."""
    _run(disable_staff, username)
    click.echo(f"Учётная запись {username} отключена, все её сеансы завершены.")


@staff_cli.command("enable")
@click.argument("username")
def enable_command(username):
    """Unblock an account (give a new link with reset-password if the password is not known)."""
    _run(enable_staff, username)
    click.echo(f"Учётная запись {username} снова включена.")


@staff_cli.command("unlock")
@click.argument("username")
def unlock_command(username):
    """Let the person sign in again at once after too many wrong tries (from any address)."""
    _run(unlock_staff, username)
    click.echo(f"Счётчик неудачных попыток для {username} сброшен: можно входить снова.")


@staff_cli.command("list")
def list_command():
    """Every staff account: active or not, set up or waiting for the setup link."""
    for user in db.session.execute(select(StaffUser).order_by(StaffUser.username)).scalars():
        state = "включена" if user.is_active else "отключена"
        ready = "настроена" if user.password_hash and user.totp_secret else "ждёт настройки по ссылке"
        click.echo(f"{user.username}\t{state}\t{ready}")
