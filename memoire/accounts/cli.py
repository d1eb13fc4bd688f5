"""Account commands: `memoire user create`, `memoire token create`."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from memoire.accounts.models import Role

user_group = AppGroup("user", help="Manage accounts.")
token_group = AppGroup("token", help="Manage personal API tokens.")


@user_group.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.contributor.value,
              show_default=True)
@click.option("--password", help="Leave out to be asked for it.")
@click.option("--name", "display_name", default="", help="Name shown in the interface.")
def create_user_command(email: str, role: str, password: str | None, display_name: str) -> None:
    """Create an account with a role."""
    from memoire.accounts.operations import create_user
    from memoire.core.errors import MemoireError
    from memoire.core.transaction import transaction

    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        with transaction():
            user = create_user(None, email, password, role=role, display_name=display_name)
    except MemoireError as exc:
        raise click.ClickException(str(exc.message)) from None
    click.echo(f"Account {user.email} created with role {user.role} (id {user.id})")


@token_group.command("create")
@click.argument("email")
@click.option("--name", default="cli", help="A name to recognise the token by.")
def create_token_command(email: str, name: str) -> None:
    """Create a personal API token; it is printed once."""
    from memoire.accounts.operations import create_token, find_user
    from memoire.core.errors import MemoireError
    from memoire.core.transaction import transaction

    try:
        with transaction():
            user = find_user(email)
            _token, secret = create_token(None, user, name)
    except MemoireError as exc:
        raise click.ClickException(str(exc.message)) from None
    click.echo(secret)


commands = [user_group, token_group]
