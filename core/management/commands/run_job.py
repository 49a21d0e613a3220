"""Run a background job now: `manage.py run_job notifications-daily-digest`."""

import json

from celery import current_app
from django.core.management.base import BaseCommand, CommandError

from core.jobruns import job_registry


class Command(BaseCommand):
    help = (
        "Run a registered job now, in this process (or queue it with --queue). "
        "--list shows the names: beat entries and task names."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", nargs="?", help="A beat entry name or a task name.")
        parser.add_argument("--list", action="store_true", help="List the job names.")
        parser.add_argument(
            "--kwargs",
            default="{}",
            help='Keyword arguments as JSON: \'{"day": "2026-11-21"}\'',
        )
        parser.add_argument(
            "--queue",
            action="store_true",
            help="Send it to the workers, not run it here.",
        )

    def handle(self, *args, name=None, list=False, kwargs="{}", queue=False, **options):
        registry = job_registry()
        if list or not name:
            for job_name, task_name in sorted(registry.items()):
                self.stdout.write(f"{job_name}  ->  {task_name}")
            return
        if name not in registry:
            raise CommandError(f"Unknown job {name!r}. `run_job --list` shows the names.")
        try:
            task_kwargs = json.loads(kwargs)
        except json.JSONDecodeError as exc:
            raise CommandError(f"--kwargs is not JSON: {exc}") from exc
        if not isinstance(task_kwargs, dict):
            raise CommandError("--kwargs must be a JSON object.")
        task = current_app.tasks[registry[name]]
        if queue:
            result = task.apply_async(kwargs=task_kwargs)
            self.stdout.write(f"{name}: queued as {result.id}")
            return
        # Run once, here: starting at the last retry, a failure is reported, not retried
        # (rerun the command instead).
        try:
            result = task.apply(kwargs=task_kwargs, retries=task.max_retries or 0, throw=True)
        except Exception as exc:
            raise CommandError(f"{name} failed: {type(exc).__name__}: {exc}") from exc
        self.stdout.write(f"{name}: {result.result}")
