"""Scoped pickers: an organisation or a member of one subtree, on one date, in a form.

A form field lists the organisations (or the members) under a root organisation. When the scope
is small (at most ``CHIBO_PICKER_SELECT_MAX`` choices, 200 by default) the field is a plain
``<select>``, in Vietnamese order: elderly users on phones do better with it. Above that, only the
count is read and the field is a search box with a ``<datalist>`` that HTMX fills as the user types
from the suggestions endpoints (:func:`org_suggestions`, :func:`member_suggestions`); without
scripts, typing an organisation's code or a member's option text ("Name — Cell (#pk)") still works.

The cleaned value is the chosen id (an int) or None. The form sets the scope in ``__init__``::

    self.fields["target_org"].scope(root_org_id=plan.org_id, on=today())  # type: ignore[attr-defined]
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Case, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from chibo.core.access import Action, policy_for, today
from chibo.core.text import fold, sort_key
from chibo.members.models import Member, Membership
from chibo.orgs.models import CELL_KINDS, OrgVersion, path_segment
from chibo.orgs.selectors import versions_on

SELECT_MAX = 200  # the default of settings.CHIBO_PICKER_SELECT_MAX
SUGGESTIONS = 20  # options sent back per keystroke
MEMBER_ORDER = ("given_name", "surname", "middle_name", "id")
_PK = re.compile(r"#\s*(\d{1,18})\)?\s*$")


def select_max() -> int:
    return int(getattr(settings, "CHIBO_PICKER_SELECT_MAX", SELECT_MAX))


# Scopes ---------------------------------------------------------------------------------------


def org_scope(*, root_org_id: int, on: dt.date, cells_only: bool = False) -> QuerySet[OrgVersion]:
    """Versions valid on ``on`` of the root and the organisations under it (cells only if asked).

    The root's own segment in the path, as the access policy does: no query for the root first.
    """
    qs = versions_on(on).filter(path__contains="/" + path_segment(root_org_id))
    return qs.filter(kind__in=CELL_KINDS) if cells_only else qs


def member_scope(*, root_org_id: int, on: dt.date) -> QuerySet[Member]:
    """Members of an organisation under the root (the root included) on ``on``."""
    orgs = org_scope(root_org_id=root_org_id, on=on).values("org_id")
    held = Membership.objects.filter(valid_from__lte=on, valid_to__gt=on, org_id__in=orgs).values("member_id")
    return Member.objects.filter(pk__in=held)


def with_cell_name(qs: QuerySet[Member], *, on: dt.date) -> QuerySet[Member]:
    """Each member with ``cell_name``: the name on ``on`` of the organisation they belong to then."""
    held = Membership.objects.filter(member=OuterRef(OuterRef("pk")), valid_from__lte=on, valid_to__gt=on).values("org_id")[:1]
    name = versions_on(on).filter(org_id=Subquery(held)).values("name")[:1]
    return qs.annotate(cell_name=Subquery(name))


def member_label(member: Member) -> str:
    """The option text of a member: their name, their cell and their id (never the citizen ID)."""
    cell = getattr(member, "cell_name", None)
    return f"{member.full_name} — {cell} (#{member.pk})" if cell else f"{member.full_name} (#{member.pk})"


def org_label(version: OrgVersion) -> str:
    return f"{version.org.code} — {version.name}"


# Searches (the suggestions) -------------------------------------------------------------------


def org_options(query: str, *, on: dt.date, scope: QuerySet[OrgVersion] | None = None, limit: int = SUGGESTIONS) -> list[tuple[str, str]]:
    """(code, "name — parent path") of the organisations matching ``query`` on ``on``: the name
    folded (diacritics and đ ignored) or the start of the code; ``scope`` limits them. Three queries."""
    text = (query or "").split("—")[0].strip()[:100]
    folded = fold(text)
    if len(folded) < 2:
        return []
    base = versions_on(on) if scope is None else scope
    versions = list(base.filter(name_folded__contains=folded).select_related("org").order_by("depth", "name")[:limit])
    seen = {v.pk for v in versions}
    versions += [v for v in base.filter(org__code__istartswith=text).select_related("org").order_by("depth", "name")[:5] if v.pk not in seen]
    # The two nearest ancestors of every result, in one query.
    chains = {v.pk: [int(seg) for seg in v.path.strip("/").split("/")[:-1]][-2:] for v in versions}
    wanted = {i for ids in chains.values() for i in ids}
    names = dict(versions_on(on).filter(org_id__in=wanted).values_list("org_id", "name")) if wanted else {}
    out = []
    for v in versions[:limit]:
        chain = " › ".join(names[i] for i in chains[v.pk] if i in names)
        out.append((v.org.code, f"{v.name}" + (f" — {chain}" if chain else "")))
    return out


def member_options(query: str, *, on: dt.date, scope: QuerySet[Member], limit: int = SUGGESTIONS) -> list[str]:
    """Option texts of the members of ``scope`` matching ``query``: the folded name, or the start of
    the party card number. Names matching at the start of a word come first. One query."""
    text = (query or "").strip()[:100]
    folded = fold(_PK.sub("", text.split("—")[0]))
    digits = folded.replace(" ", "")
    if len(folded) < 2:
        return []
    match = Q(name_folded__contains=folded)
    if digits.isdigit():
        match |= Q(party_card_number__startswith=digits)
    word_start = Q(name_folded__startswith=folded) | Q(name_folded__contains=" " + folded)
    found = (
        with_cell_name(scope.filter(match), on=on)
        .annotate(rank=Case(When(word_start, then=Value(0)), default=Value(1), output_field=IntegerField()))
        .order_by("rank", *MEMBER_ORDER)[:limit]
    )
    return [member_label(m) for m in found]


def _on_param(request: HttpRequest) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("on", "")[:10])
    except ValueError:
        return today()


def _query(request: HttpRequest) -> str:
    """?q=, or the value HTMX sends under the field's own name (?field=<name>)."""
    return request.GET.get("q") or request.GET.get(request.GET.get("field", "") or "q") or ""


@require_safe
@login_required
def org_suggestions(request: HttpRequest, org_id: int) -> HttpResponse:
    """<option>s of the organisations under ``org_id`` matching ?q= (cells only with ?cells=1)."""
    on = _on_param(request)
    policy_for(request).version_or_404(org_id, on=on, action=Action.VIEW_ORG)
    scope = org_scope(root_org_id=org_id, on=on, cells_only=request.GET.get("cells") == "1")
    options = [f"{code} — {label}" for code, label in org_options(_query(request), on=on, scope=scope)]
    return render(request, "chibo/_pick_options.html", {"options": options})


@require_safe
@login_required
def member_suggestions(request: HttpRequest, org_id: int) -> HttpResponse:
    """<option>s of the members of cells under ``org_id`` on ?on= that the user may see, matching ?q=."""
    on = _on_param(request)
    policy = policy_for(request)
    policy.version_or_404(org_id, on=on, action=Action.VIEW_ORG)
    scope = member_scope(root_org_id=org_id, on=on)
    if not policy.is_admin:
        scope = scope.filter(pk__in=policy.members(Action.VIEW_MEMBER).values("pk"))
    options = member_options(_query(request), on=on, scope=scope)
    return render(request, "chibo/_pick_options.html", {"options": options})


# Form fields ----------------------------------------------------------------------------------


class PickerSearchInput(forms.TextInput):
    """A search box whose datalist HTMX fills from ``url`` as the user types."""

    input_type = "search"

    def __init__(self, url: str, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"autocomplete": "off", "spellcheck": "false", **(attrs or {})})
        self.url = url

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> Any:
        attrs = dict(attrs or {})
        list_id = f"{attrs.get('id') or name}_options"
        sep = "&" if "?" in self.url else "?"
        attrs.update({
            "list": list_id, "hx-get": f"{self.url}{sep}{urlencode({'field': name})}",
            "hx-trigger": "input changed delay:300ms", "hx-target": f"#{list_id}", "hx-swap": "innerHTML",
        })  # fmt: skip
        return super().render(name, value, attrs, renderer) + format_html('<datalist id="{}"></datalist>', list_id)


class _PickerField(forms.Field):
    """Shared by the two pickers: a select when the scope is small, else a search box."""

    kind = ""
    default_error_messages = {
        "invalid_choice": gettext_lazy("Lựa chọn không có trong danh sách."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.root_org_id: int | None = None
        self.on: dt.date = today()
        self.searching = False
        self.ids: set[int] = set()

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        result = super().__deepcopy__(memo)
        result.ids = set(self.ids)
        return result

    # Subclasses: the scope, the choices of a small one, the label of one id, the id of a typed text.
    def queryset(self) -> QuerySet[Any]:
        raise NotImplementedError

    def load_choices(self) -> list[tuple[int, str]]:
        raise NotImplementedError

    def label_of(self, pk: int) -> str | None:
        raise NotImplementedError

    def find(self, text: str) -> int | None:
        raise NotImplementedError

    def suggestions_url(self) -> str:
        raise NotImplementedError

    def placeholder(self) -> str:
        raise NotImplementedError

    def scope(self, *, root_org_id: int | None, on: dt.date | None = None) -> None:
        """Limit the field to the subtree of ``root_org_id`` on ``on`` (today by default).

        Looks at most past the limit first: a small scope loads its choices for a select, a large one loads nothing."""
        self.root_org_id, self.on = root_org_id, on or today()
        if root_org_id is None:
            self.searching, self.ids = False, set()
            self.widget = forms.Select(choices=[("", "—")])
            return
        # Is the scope larger than the limit? Reading limit + 1 ids stops early (a COUNT would walk
        # the whole province's members).
        limit = select_max()
        self.searching = len(self.queryset().order_by().values("pk")[: limit + 1]) > limit
        if self.searching:
            self.ids = set()
            self.widget = PickerSearchInput(self.suggestions_url(), attrs={"placeholder": self.placeholder()})
        else:
            choices = self.load_choices()
            self.ids = {pk for pk, _label in choices}
            self.widget = forms.Select(choices=[("", "—"), *choices])

    def prepare_value(self, value: Any) -> Any:
        """An initial id shows as its option text in the search box; typed text stays as typed."""
        if self.searching and isinstance(value, int) and not isinstance(value, bool):
            return self.label_of(value) or ""
        return value

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            text = str(value)
        else:
            text = str(value).strip()[:300]
        if not text:
            return None
        if not self.searching:
            if text.isascii() and text.isdigit() and int(text) in self.ids:
                return int(text)
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        found = self.find(text) if self.root_org_id is not None else None
        if found is None:
            raise forms.ValidationError(self.not_found(text), code="invalid_choice")
        return found

    def not_found(self, text: str) -> str:
        raise NotImplementedError


class OrgPicker(_PickerField):
    """An organisation under the root (the root included): its id, or None."""

    kind = "orgs"

    def __init__(self, *, cells_only: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.cells_only = cells_only

    def queryset(self) -> QuerySet[OrgVersion]:
        assert self.root_org_id is not None
        return org_scope(root_org_id=self.root_org_id, on=self.on, cells_only=self.cells_only)

    def load_choices(self) -> list[tuple[int, str]]:
        found = list(self.queryset().only("org_id", "name", "path"))
        found.sort(key=lambda v: sort_key(v.name) if self.cells_only else (len(v.path), sort_key(v.name)))
        return [(v.org_id, v.name) for v in found]

    def label_of(self, pk: int) -> str | None:
        version = self.queryset().filter(org_id=pk).select_related("org").first()
        return org_label(version) if version else None

    def find(self, text: str) -> int | None:
        code = text.split("—")[0].strip()
        scope = self.queryset()
        found = list(scope.filter(org__code=code).values_list("org_id", flat=True)[:1]) if code else []
        if found:
            return int(found[0])
        named = list(scope.filter(name_folded=fold(code)).values_list("org_id", flat=True)[:2])
        return int(named[0]) if len(named) == 1 else None

    def suggestions_url(self) -> str:
        query = {"on": self.on.isoformat(), **({"cells": "1"} if self.cells_only else {})}
        return reverse("core:pick_orgs", args=[self.root_org_id]) + "?" + urlencode(query)

    def placeholder(self) -> str:
        return _("Gõ tên hoặc mã tổ chức rồi chọn")

    def not_found(self, text: str) -> str:
        return _("Không tìm thấy tổ chức “%(text)s” trong phạm vi này. Hãy gõ tên hoặc mã rồi chọn trong danh sách gợi ý.") % {"text": text}


class MemberPicker(_PickerField):
    """A member of an organisation under the root on the date: their id, or None."""

    kind = "members"

    def queryset(self) -> QuerySet[Member]:
        assert self.root_org_id is not None
        return member_scope(root_org_id=self.root_org_id, on=self.on)

    def load_choices(self) -> list[tuple[int, str]]:
        found = list(self.queryset().only("pk", "given_name", "full_name"))
        found.sort(key=lambda m: (sort_key(m.given_name), sort_key(m.full_name), m.pk))
        return [(m.pk, m.full_name) for m in found]

    def label_of(self, pk: int) -> str | None:
        member = with_cell_name(self.queryset().filter(pk=pk), on=self.on).first()
        return member_label(member) if member else None

    def find(self, text: str) -> int | None:
        scope = self.queryset()
        pk = _PK.search(text)
        if pk:
            return int(pk[1]) if scope.filter(pk=int(pk[1])).exists() else None
        name = text.split("—")[0].strip()
        digits = name.replace(" ", "")
        if digits.isascii() and digits.isdigit():
            found = list(scope.filter(party_card_number=digits).values_list("pk", flat=True)[:1])
        else:
            found = list(scope.filter(name_folded=fold(name)).values_list("pk", flat=True)[:2])
        return int(found[0]) if len(found) == 1 else None

    def suggestions_url(self) -> str:
        return reverse("core:pick_members", args=[self.root_org_id]) + "?" + urlencode({"on": self.on.isoformat()})

    def placeholder(self) -> str:
        return _("Gõ tên đảng viên rồi chọn")

    def not_found(self, text: str) -> str:
        return _("Không tìm thấy đảng viên “%(text)s” trong phạm vi này. Hãy gõ tên rồi chọn trong danh sách gợi ý.") % {"text": text}
