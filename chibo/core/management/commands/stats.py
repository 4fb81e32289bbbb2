from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from chibo.core.access import today
from chibo.core.dates import parse_date
from chibo.core.errors import ChiboError
from chibo.orgs.models import Organisation, OrgVersion
from chibo.orgs.selectors import org_stats, versions_on


class Command(BaseCommand):
    help = "Figures for an organisation (the root by default), as of a date (today by default)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--org", help="organisation id or code (default: the root)")
        parser.add_argument("--as-of", dest="as_of", help="YYYY-MM-DD or dd/mm/yyyy")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: Any, org: str | None, as_of: str | None, json: bool, **options: Any) -> None:
        try:
            on = parse_date(as_of, field="as_of", required=False) or today()
        except ChiboError as exc:
            raise CommandError(exc.message) from exc
        assert on is not None
        version = self._version(org, on)
        data = org_stats(version=version, on=on)
        if json:
            self.stdout.write(_dumps(data))
            return
        self.stdout.write(f"{version.name} — {on:%d/%m/%Y}")
        for key, value in data.items():
            if key not in {"org", "as_of"}:
                self.stdout.write(f"  {key}: {value}")

    def _version(self, org: str | None, on: Any) -> OrgVersion:
        qs = versions_on(on)
        if org is None:
            version = qs.filter(parent__isnull=True).order_by("org_id").first()
        else:
            found = Organisation.objects.filter(pk=int(org)) if org.isdigit() else Organisation.objects.filter(code=org)
            version = qs.filter(org__in=found).first()
        if version is None:
            raise CommandError(f"Không có tổ chức {org or '(gốc)'} vào ngày {on:%d/%m/%Y}.")
        return version


def _dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
