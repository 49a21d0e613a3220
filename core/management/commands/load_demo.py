"""Load the demo province: each installed app's demo.py, in INSTALLED_APPS order."""

from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from dossiers.demo import DEMO_COUNT


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
        for config in apps.get_app_configs():
            try:
                module = import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise
                continue
            with transaction.atomic():
                summary = module.load(**arguments.get(config.label, {}))
            self.stdout.write(f"{config.label}: {summary}")
