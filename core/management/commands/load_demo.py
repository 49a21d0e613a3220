"""Load the demo province: each installed app's demo.py, in INSTALLED_APPS order."""

from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from dossiers.demo import DEMO_COUNT
from notifications.services import mail_off


class Command(BaseCommand):
    help = "Build the demo province (units, users, and each app's demo data). Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dossiers",
            type=int,
            default=DEMO_COUNT,
            help=f"How many generated dossiers (default {DEMO_COUNT:,}); tests build a few "
            "thousand. The rest of the province is the same at any count.",
        )

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("load_demo refuses to run with DJANGO_ENV=production.")
        if options["dossiers"] < 0:
            raise CommandError("--dossiers must be zero or more.")
        # Only the dossiers app takes a size; every other app's demo is fixed.
        arguments = {"dossiers": {"count": options["dossiers"]}}
        modules = []
        for config in apps.get_app_configs():
            try:
                modules.append((config.label, import_module(f"{config.name}.demo")))
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise
        # The demo replays a year of work: its notifications fill the bell but are never
        # mailed, nor is a mail job queued per event (notifications.services.mail_off).
        with mail_off():
            for label, module in modules:
                with transaction.atomic():
                    summary = module.load(**arguments.get(label, {}))
                self.stdout.write(f"{label}: {summary}")
            # Then each app may tidy what the others left (the bell: older notes read).
            for label, module in modules:
                if hasattr(module, "finish"):
                    with transaction.atomic():
                        self.stdout.write(f"{label}: {module.finish()}")
