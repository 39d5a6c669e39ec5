"""Create, list and revoke API tokens from the command line."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from showclear.web.accounts.models import ApiToken, Membership


class Command(BaseCommand):
    """`showclear_token create|list|revoke`."""

    help = "Manage API tokens: create (prints the secret once), list, revoke."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a token for a user's membership")
        create.add_argument("--user", required=True, help="Username")
        create.add_argument("--production", required=True)
        create.add_argument("--name", default="cli", help="What the token is for")
        listing = sub.add_parser("list", help="List tokens")
        listing.add_argument("--user", help="Only this user's tokens")
        revoke = sub.add_parser("revoke", help="Revoke a token by its id or prefix")
        revoke.add_argument("token", help="Token id or its prefix (sc_…)")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "create":
            membership = Membership.objects.filter(
                user__username=options["user"], production=options["production"]
            ).first()
            if membership is None:
                raise CommandError(f"{options['user']} is not a member of {options['production']}")
            token, secret = ApiToken.issue(membership, options["name"])
            self.stdout.write(secret)
            self.stderr.write(f"token {token.pk}: {membership.person} in {membership.production}")
        elif action == "list":
            tokens = ApiToken.objects.select_related("membership__user")
            if options.get("user"):
                tokens = tokens.filter(membership__user__username=options["user"])
            for t in tokens:
                state = f"revoked {t.revoked_at:%Y-%m-%d}" if t.revoked_at else "active"
                self.stdout.write(
                    f"{t.pk}\t{t.prefix}…\t{t.membership.user}\t{t.production}\t{t.person}"
                    f"\t{t.name}\t{state}"
                )
        else:
            key = options["token"]
            found = (
                ApiToken.objects.filter(pk=int(key))
                if key.isdigit()
                else ApiToken.objects.filter(prefix=key[:10])
            )
            if found.count() != 1:
                raise CommandError(f"no single token matches {key!r}")
            found.get().revoke()
            self.stdout.write(f"revoked {key}")
