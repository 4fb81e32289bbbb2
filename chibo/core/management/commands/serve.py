from __future__ import annotations

import os
import shutil
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Start chibo with granian, printing the URL and the demo logins."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default=os.getenv("CHIBO_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.getenv("CHIBO_PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.getenv("CHIBO_WORKERS", "0")) or None)
        parser.add_argument("--threads", type=int, default=int(os.getenv("CHIBO_THREADS", "0")) or None)

    def handle(self, *args: Any, host: str, port: int, workers: int | None, threads: int | None, **options: Any) -> None:
        from chibo.accounts.models import User
        from chibo.demo.personas import DEMO_PASSWORD, PERSONAS

        url = f"http://{host}:{port}/"
        self.stdout.write(self.style.SUCCESS(f"chibo: {url}"))
        present = set(User.objects.filter(username__in=PERSONAS).values_list("username", flat=True))
        if present:
            self.stdout.write(f"Tài khoản thử (mật khẩu: {DEMO_PASSWORD}):")
            for username, label in PERSONAS.items():
                if username in present:
                    self.stdout.write(f"  {username:<10} {label}")
        self.stdout.flush()
        # SQLite takes one writer at a time: one worker process with threads; PostgreSQL: one per core.
        is_sqlite = settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")
        workers = workers or (1 if is_sqlite else (os.cpu_count() or 1))
        granian = shutil.which("granian", path=os.path.dirname(sys.executable)) or shutil.which("granian") or "granian"
        cmd = [
            granian, "--interface", "wsgi", "--host", host, "--port", str(port),
            "--workers", str(workers), "--blocking-threads", str(threads or (4 if is_sqlite else 2)),
            "--no-ws", "chibo.wsgi:application",
        ]
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")
        raise SystemExit(subprocess.call(cmd))  # noqa: S603 - our own fixed argument list
