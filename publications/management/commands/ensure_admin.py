"""Create the first superuser once, for a fresh install or the demo.

The password comes from the ADMIN_PASSWORD environment variable; without it a
random one is generated and printed once. An existing account is left alone:
this command never resets a password, so it is safe to run on every start.
"""

import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

PASSWORD_VARIABLE = "ADMIN_PASSWORD"  # noqa: S105 (a variable name, not a secret)


class Command(BaseCommand):
    help = (
        "Create the superuser 'admin' if it does not exist. The password is "
        f"taken from {PASSWORD_VARIABLE}, or generated and printed once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--username", default="admin", help="Account name (default: admin)."
        )
        parser.add_argument(
            "--email", default="", help="Optional e-mail address of the account."
        )

    def handle(self, *args, **options):
        User = get_user_model()
        username = options["username"]
        if User._default_manager.filter(**{User.USERNAME_FIELD: username}).exists():
            self.stdout.write(
                f"Admin account {username} already exists; password unchanged."
            )
            return

        password = os.environ.get(PASSWORD_VARIABLE, "")
        generated = not password
        if generated:
            password = secrets.token_urlsafe(12)
        User._default_manager.create_superuser(
            **{User.USERNAME_FIELD: username},
            email=options["email"],
            password=password,
        )
        if generated:
            self.stdout.write(
                self.style.SUCCESS(f"Admin account: {username} / {password}")
            )
            self.stdout.write(
                "This password is shown only once: keep it or change it in the admin."
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Admin account: {username} (password from {PASSWORD_VARIABLE})"
                )
            )
