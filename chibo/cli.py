"""The ``chibo`` command for operators: ``chibo migrate``, ``chibo serve``, ``chibo demo`` ...

Each subcommand is a Django management command; dashes in names are accepted (import-members).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        print(
            "chibo <command> [options]\n\n"
            "  migrate                     create or update the database\n"
            "  serve [--port 8000]         start the web server (granian)\n"
            "  worker [--no-scheduler]     run queued jobs (mail, reminders, deadlines) and the daily run\n"
            "  demo --scale district|province [--seed N]\n"
            "  stats [--org ID] [--as-of YYYY-MM-DD] [--month YYYY-MM] --json\n"
            "  import-members FILE.xlsx [--org CODE] [--commit]\n"
            "  createadmin USERNAME\n"
            "  bench registry              timings on the loaded dataset\n"
            "  bench followup [--repeat N] follow-up list and statistics pages at the root\n\n"
            "Any Django management command works too (chibo shell, chibo check ...)."
        )
        return
    args[0] = args[0].replace("-", "_")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["chibo", *args])


if __name__ == "__main__":
    main()
