"""manage.py load_demo: the demo union for `make demo`; running it again changes nothing."""

import contextlib
import io
import logging

from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_static.models import StaticToken

from demo import data
from demo.loader import DemoConflict, load

BASE_URL = "http://127.0.0.1:8000"
URLS = [
    ("site", "/"),
    ("admin", "/admin/"),
    ("API docs", "/api/docs/"),
    ("API v1", "/api/v1/"),
]


class Command(BaseCommand):
    help = (
        f"Load the demo union ({data.UNION}): members, partners, programmes, calls, people and proposals "
        "in every state, written through the services. Does nothing if the demo is already loaded."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--show-emails",
            action="store_true",
            help="Show the notification e-mails that the console e-mail backend prints during the load.",
        )

    def handle(self, *args, **options):
        # The walk notifies people as real actions do; with the console e-mail backend that is a few
        # hundred e-mails on standard output, which would bury the logins.
        captured = io.StringIO()
        hide = contextlib.nullcontext() if options["show_emails"] else contextlib.redirect_stdout(captured)
        try:
            with hide, _quiet("celery.app.trace"):
                result = load()
        except DemoConflict as error:
            raise CommandError(str(error)) from error
        if captured.getvalue():
            self.stdout.write("(Notification e-mails printed during the load are hidden: --show-emails.)")
        if result.loaded:
            self.stdout.write(self.style.SUCCESS(f"Demo loaded: {data.UNION} in {result.seconds:.1f} s."))
        else:
            self.stdout.write(f"Demo already loaded ({data.UNION}); nothing changed.")
        self.stdout.write(", ".join(f"{count} {name}" for name, count in result.counts.items()) + ".")
        self.stdout.write("")
        self.stdout.write(login_table())
        self.stdout.write("")
        self.stdout.write(second_factor_note())
        self.stdout.write("")
        for label, path in URLS:
            self.stdout.write(f"  {label + ':':<10} {BASE_URL}{path}")


@contextlib.contextmanager
def _quiet(name: str):
    """Eager Celery logs every task it runs; during the load that is one line per e-mail."""
    logger = logging.getLogger(name)
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


def second_factor_note() -> str:
    """The office's accounts ask for a code after the password: where a newcomer gets one."""
    office = [spec["username"] for spec in data.USERS if spec.get("office")]
    codes = StaticToken.objects.filter(device__user__username__in=office).values_list(
        "device__user__username", "token"
    )
    spare: dict[str, list[str]] = {}
    for username, token in codes.order_by("device__user__username", "token"):
        spare.setdefault(username, []).append(f"{token[:4]}-{token[4:]}")
    lines = [
        f"{', '.join(office)} also give a second factor after the password: a code from an authenticator",
        f"app given the key {data.SECOND_FACTOR_KEY_SHOWN} (or `oathtool --totp -b <key>`), or a recovery",
        "code (each works once):",
    ]
    lines += [f"  {username}: {'  '.join(tokens[:3])}" for username, tokens in spare.items()]
    return "\n".join(lines)


def login_table() -> str:
    rows = [("username", "role", "password", "what to look at")]
    rows += [(u["username"], u["role"], data.PASSWORD, u["look_at"]) for u in data.USERS]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = []
    for index, row in enumerate(rows):
        lines.append(
            "  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths, strict=False)) + "  " + row[3]
        )
        if index == 0:
            lines.append("  ".join("-" * width for width in widths) + "  " + "-" * len(row[3]))
    return "\n".join(lines)
