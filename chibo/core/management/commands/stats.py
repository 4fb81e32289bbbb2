from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from chibo.admissions.selectors_stats import json_figures as admission_figures
from chibo.admissions.selectors_stats import villages_without_members
from chibo.briefings.selectors_stats import json_figures as briefing_figures
from chibo.core.access import today
from chibo.core.dates import parse_date
from chibo.core.errors import ChiboError
from chibo.dues.selectors_stats import json_figures as dues_figures
from chibo.inspections.selectors_stats import json_figures as inspection_figures
from chibo.meetings.selectors_stats import (
    Figures,
    first_of_month,
    parse_month,
    quarter_months,
    total_figures,
    tree_date,
)
from chibo.orgs.models import OrgVersion
from chibo.orgs.selectors import org_by_ref, org_stats, versions_on
from chibo.petitions.selectors_stats import json_figures as petition_figures
from chibo.probation.selectors_stats import json_figures as probation_figures
from chibo.residence.selectors import json_figures as residence_figures
from chibo.tasks.selectors_stats import json_figures as task_figures
from chibo.transfers.selectors_stats import json_figures as transfer_figures

# The follow-up loops' figures of a year (issue 8): one root key each, for --org and --year.
FOLLOW_UP_KEYS = ("tasks", "petitions", "briefings", "inspections")
# The member lifecycles' figures (issue 9 §8): one root key each, for --org, --year and --as-of
# (docs/architecture.md "Statistics of the lifecycles" says which figures are of the year or of the day).
LIFECYCLE_KEYS = ("admissions", "probation", "transfers", "dues", "residence_contact")


class Command(BaseCommand):
    help = "Figures for an organisation (the root by default), as of a date (today by default)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--org", help="organisation id or code (default: the root)")
        parser.add_argument("--as-of", dest="as_of", help="YYYY-MM-DD or dd/mm/yyyy")
        parser.add_argument("--json", action="store_true", help="print JSON")
        parser.add_argument("--month", help="YYYY-MM: the month of the meeting figures (default: this month)")
        parser.add_argument("--year", type=int, help="YYYY: the year of the follow-up and lifecycle figures (default: the as-of date's)")

    def handle(
        self, *args: Any, org: str | None, as_of: str | None, json: bool, month: str | None = None, year: int | None = None, **options: Any,
    ) -> None:
        try:
            given = parse_date(as_of, field="as_of", required=False)
        except ChiboError as exc:
            raise CommandError(exc.message) from exc
        on = given or today()
        version = self._version(org, on)
        data = org_stats(version=version, on=on)
        data["meetings"] = self._meetings(org, month, given)
        if year is not None and not 2000 <= year <= 2100:
            raise CommandError(f"Năm {year} không hợp lệ.")
        data["petitions"] = petition_figures(path=version.path, year=year or on.year, on=on)
        data["tasks"] = task_figures(path=version.path, year=year or on.year, on=on)
        data["briefings"] = briefing_figures(path=version.path, year=year or on.year, on=on)
        data["inspections"] = inspection_figures(path=version.path, year=year or on.year, on=on)
        data.update(self._lifecycles(version, year or on.year, on))
        if json:
            self.stdout.write(_dumps(data))
            return
        self.stdout.write(f"{version.name} — {on:%d/%m/%Y}")
        for key, value in data.items():
            if key not in {"org", "as_of", "meetings", *FOLLOW_UP_KEYS, *LIFECYCLE_KEYS, "villages_without_members"}:
                self.stdout.write(f"  {key}: {value}")
        meetings = data["meetings"]
        self.stdout.write(f"  meetings {meetings['month']} ({meetings['as_of']}):")
        for key, value in meetings.items():
            if key not in {"org", "month", "as_of"}:
                self.stdout.write(f"    {key}: {value}")
        for key in FOLLOW_UP_KEYS:
            self.stdout.write(f"  {key} {year or on.year}: " + ", ".join(f"{k} {v}" for k, v in data[key].items()))
        for key in LIFECYCLE_KEYS:
            self.stdout.write(f"  {key} {year or on.year}: " + ", ".join(f"{k} {v}" for k, v in data[key].items()))
        self.stdout.write(f"  villages_without_members: {data['villages_without_members']}")

    def _lifecycles(self, version: OrgVersion, year: int, on: dt.date) -> dict[str, Any]:
        """The member lifecycles' sections, each from its app, on the subtree of ``version`` (tree of ``on``)."""
        return {
            "admissions": admission_figures(path=version.path, year=year, on=on),
            "probation": probation_figures(path=version.path, year=year, on=on),
            "transfers": transfer_figures(path=version.path, year=year, on=on),
            "dues": dues_figures(path=version.path, year=year, on=on),
            "residence_contact": residence_figures(org_path=version.path, on=on),
            "villages_without_members": villages_without_members(version=version, on=on),
        }

    def _meetings(self, org: str | None, month: str | None, as_of: dt.date | None) -> dict[str, Any]:
        """The meeting figures of a month (selectors_stats), on the tree of the month's end or of --as-of."""
        if month:
            first = parse_month(month)
            if first is None:
                raise CommandError(f"Tháng {month} không đúng dạng YYYY-MM.")
        else:
            first = first_of_month(as_of or today())
        on = tree_date(first, as_of)
        q_start, q_end = quarter_months(first)
        head: dict[str, Any] = {"month": f"{first:%Y-%m}", "as_of": on.isoformat(), "quarter": [f"{q_start:%Y-%m}", f"{q_end:%Y-%m}"]}
        try:
            version = self._version(org, on)
        except CommandError:  # the organisation is not in the tree of that month
            return {"org": None, **head, **Figures().as_dict()}
        figures = total_figures(path=version.path, month=first, on=on)
        return {"org": {"id": version.org_id, "name": version.name}, **head, **figures.as_dict()}

    def _version(self, org: str | None, on: Any) -> OrgVersion:
        qs = versions_on(on)
        if org is None:
            version = qs.filter(parent__isnull=True).order_by("org_id").first()
        else:
            found = org_by_ref(org)
            version = qs.filter(org=found).first() if found else None
        if version is None:
            raise CommandError(f"Không có tổ chức {org or '(gốc)'} vào ngày {on:%d/%m/%Y}.")
        return version


def _dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
