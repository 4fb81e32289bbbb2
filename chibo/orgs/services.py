"""Writes to the organisation tree. Each service is one transaction with its audit rows.

Changes apply from a date ``on``: the version valid then is closed on ``on`` and a new one starts.
Only the current version can change (history is not rewritten); a change dated on the current
version's first day updates it in place.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from chibo.core import audit
from chibo.core.errors import ChiboError
from chibo.core.models import OPEN
from chibo.core.text import fold
from chibo.orgs.models import (
    CELL_KINDS,
    AdminUnit,
    Organisation,
    OrgKind,
    OrgVersion,
    Sector,
    path_segment,
)

_VERSION_FIELDS = ["name", "parent", "path", "depth", "kind", "sector", "admin_unit", "area_kind", "area_name"]


def _state(version: OrgVersion) -> dict[str, Any]:
    return audit.snapshot(version, _VERSION_FIELDS + ["valid_from"])


def _current_version(org: Organisation, *, on: dt.date, for_update: bool = True) -> OrgVersion:
    qs = OrgVersion.objects.filter(org=org, valid_to=OPEN)
    if for_update:
        qs = qs.select_for_update()
    version = qs.first()
    if version is None:
        raise ChiboError(_("Tổ chức này đã giải thể."))
    if on < version.valid_from:
        raise ChiboError(
            _("Ngày hiệu lực phải từ %(date)s trở đi (ngày thay đổi gần nhất của tổ chức).")
            % {"date": version.valid_from.strftime("%d/%m/%Y")},
            field="on",
        )
    return version


def _check_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ChiboError(_("Tên tổ chức không được để trống."), field="name")
    if len(name) > 200:
        raise ChiboError(_("Tên tổ chức dài quá 200 ký tự."), field="name")
    return name


def _check_parent(*, kind: str, parent_version: OrgVersion | None) -> None:
    if kind == OrgKind.PROVINCIAL:
        if parent_version is not None:
            raise ChiboError(_("Đảng bộ tỉnh là gốc của cây, không có tổ chức cấp trên."), field="parent")
        return
    if parent_version is None:
        raise ChiboError(_("Hãy chọn tổ chức cấp trên."), field="parent")
    if parent_version.kind in CELL_KINDS:
        raise ChiboError(_("Chi bộ không có tổ chức trực thuộc."), field="parent")


def _check_residential(*, kind: str, sector: str, area_name: str) -> None:
    if sector == Sector.RESIDENTIAL and kind in CELL_KINDS and not area_name.strip():
        raise ChiboError(_("Chi bộ khu dân cư phải ghi rõ thôn, bản, khu phố mà chi bộ phụ trách."), field="area_name")


def area_from_name(name: str) -> str:
    """"Chi bộ thôn Trung Đồng" → "Trung Đồng": the default area of a residential cell named after it."""
    rest = " ".join(name.split())
    for prefix in ("chi bộ ",):
        if rest.lower().startswith(prefix):
            rest = rest[len(prefix):]
    for word in ("tổ dân phố ", "khu phố ", "thôn ", "bản ", "khu ", "tổ "):
        if rest.lower().startswith(word):
            return rest[len(word):]
    return rest


def _replace(version: OrgVersion, *, on: dt.date, **changes: Any) -> OrgVersion:
    """Close ``version`` on ``on`` and start a new one with ``changes`` (or update it if it starts on ``on``)."""
    if version.valid_from == on:
        for key, value in changes.items():
            setattr(version, key, value)
        version.save()
        return version
    version.valid_to = on
    version.save(update_fields=["valid_to"])
    new = OrgVersion(
        org_id=version.org_id,
        name=version.name,
        name_folded=version.name_folded,
        parent_id=version.parent_id,
        path=version.path,
        depth=version.depth,
        kind=version.kind,
        sector=version.sector,
        admin_unit=version.admin_unit,
        area_kind=version.area_kind,
        area_name=version.area_name,
        valid_from=on,
    )
    for key, value in changes.items():
        setattr(new, key, value)
    new.save()
    return new


@transaction.atomic
def org_create(
    *,
    actor: Any,
    name: str,
    kind: str,
    parent: Organisation | None,
    on: dt.date,
    sector: str = Sector.OTHER,
    admin_unit: str = AdminUnit.NONE,
    area_kind: str = "",
    area_name: str = "",
    code: str | None = None,
) -> Organisation:
    name = _check_name(name)
    if kind not in OrgKind.values:
        raise ChiboError(_("Loại tổ chức không hợp lệ."), field="kind")
    parent_version = _current_version(parent, on=on) if parent is not None else None
    _check_parent(kind=kind, parent_version=parent_version)
    _check_residential(kind=kind, sector=sector, area_name=area_name)
    org = Organisation.objects.create(code=code or uuid.uuid4().hex[:12], founded_on=on)
    base = parent_version.path if parent_version else "/"
    version = OrgVersion.objects.create(
        org=org,
        name=name,
        name_folded=fold(name),
        parent=parent,
        path=base + path_segment(org.pk),
        depth=(parent_version.depth + 1) if parent_version else 0,
        kind=kind,
        sector=sector,
        admin_unit=admin_unit,
        area_kind=area_kind,
        area_name=area_name.strip(),
        valid_from=on,
    )
    audit.record(actor=actor, verb="org.create", obj=org, summary=_("Thành lập %(name)s") % {"name": name}, after=_state(version))
    return org


@transaction.atomic
def org_change(*, actor: Any, org: Organisation, on: dt.date, **changes: Any) -> OrgVersion:
    """Rename or reclassify: any of name, kind, sector, admin_unit, area_kind, area_name."""
    allowed = {"name", "kind", "sector", "admin_unit", "area_kind", "area_name"}
    if unknown := set(changes) - allowed:
        raise ValueError(f"org_change cannot change {sorted(unknown)}")
    version = _current_version(org, on=on)
    before = _state(version)
    if "name" in changes:
        changes["name"] = _check_name(changes["name"])
        changes["name_folded"] = fold(changes["name"])
    merged = {**{k: getattr(version, k) for k in allowed}, **changes}
    _check_residential(kind=merged["kind"], sector=merged["sector"], area_name=merged["area_name"])
    if merged["kind"] in CELL_KINDS and OrgVersion.objects.filter(parent=org, valid_to=OPEN).exists():
        raise ChiboError(_("Tổ chức còn tổ chức trực thuộc nên không thể là chi bộ."), field="kind")
    new = _replace(version, on=on, **changes)
    verb = "org.rename" if set(changes) <= {"name", "name_folded"} else "org.change"
    summary = (
        _("Đổi tên %(old)s thành %(new)s") % {"old": version.name if version.pk != new.pk else before["name"], "new": new.name}
        if verb == "org.rename"
        else _("Thay đổi thông tin %(name)s") % {"name": new.name}
    )
    audit.record(actor=actor, verb=verb, obj=org, summary=summary, before=before, after=_state(new))
    return new


def org_rename(*, actor: Any, org: Organisation, name: str, on: dt.date) -> OrgVersion:
    return org_change(actor=actor, org=org, on=on, name=name)


@transaction.atomic
def org_move(*, actor: Any, org: Organisation, new_parent: Organisation, on: dt.date) -> OrgVersion:
    """Move a node and its subtree under another parent, from ``on``."""
    version = _current_version(org, on=on)
    parent_version = _current_version(new_parent, on=on)
    if parent_version.path.startswith(version.path):
        raise ChiboError(_("Không thể chuyển một tổ chức vào chính nó hoặc tổ chức trực thuộc của nó."), field="parent")
    _check_parent(kind=version.kind, parent_version=parent_version)
    if version.parent_id == new_parent.pk:
        raise ChiboError(_("Tổ chức đã trực thuộc %(name)s.") % {"name": parent_version.name}, field="parent")
    old_prefix = version.path
    new_prefix = parent_version.path + path_segment(org.pk)
    depth_shift = parent_version.depth + 1 - version.depth
    subtree = list(OrgVersion.objects.select_for_update().filter(valid_to=OPEN, path__startswith=old_prefix).order_by("depth"))
    if any(v.valid_from > on for v in subtree):
        raise ChiboError(_("Trong cây tổ chức cần chuyển có thay đổi sau ngày hiệu lực; hãy chọn ngày muộn hơn."), field="on")
    before = _state(version)
    moved = None
    for v in subtree:
        changes: dict[str, Any] = {"path": new_prefix + v.path[len(old_prefix):], "depth": v.depth + depth_shift}
        if v.org_id == org.pk:
            changes["parent_id"] = new_parent.pk
        new = _replace(v, on=on, **changes)
        if v.org_id == org.pk:
            moved = new
    assert moved is not None
    audit.record(
        actor=actor,
        verb="org.move",
        obj=org,
        summary=_("Chuyển %(name)s về trực thuộc %(parent)s") % {"name": moved.name, "parent": parent_version.name},
        before=before,
        after=_state(moved),
    )
    return moved


@transaction.atomic
def org_dissolve(*, actor: Any, org: Organisation, on: dt.date, merged_into: Organisation | None = None) -> None:
    from chibo.members.models import ACTIVE_STATUSES, Membership

    version = _current_version(org, on=on)
    if OrgVersion.objects.filter(parent=org, valid_to=OPEN).exists():
        raise ChiboError(_("%(name)s còn tổ chức trực thuộc; hãy chuyển hoặc giải thể chúng trước.") % {"name": version.name})
    active = Membership.objects.filter(
        org=org, valid_to=OPEN, member__status_periods__valid_to=OPEN, member__status_periods__status__in=ACTIVE_STATUSES
    ).count()
    if active:
        raise ChiboError(
            _("%(name)s còn %(count)s đảng viên; hãy chuyển sinh hoạt cho họ trước khi giải thể.")
            % {"name": version.name, "count": active}
        )
    if on == version.valid_from:
        raise ChiboError(_("Ngày giải thể phải sau ngày thay đổi gần nhất của tổ chức."), field="on")
    # Records of members who already left (transferred, deceased, removed) stay in this cell's history.
    Membership.objects.filter(org=org, valid_to=OPEN).update(valid_to=on)
    from chibo.members.models import Position

    Position.objects.filter(org=org, valid_to=OPEN).update(valid_to=on)
    version.valid_to = on
    version.save(update_fields=["valid_to"])
    org.dissolved_on = on
    org.merged_into = merged_into
    org.save(update_fields=["dissolved_on", "merged_into"])
    audit.record(
        actor=actor,
        verb="org.dissolve",
        obj=org,
        summary=_("Giải thể %(name)s") % {"name": version.name},
        before=_state(version),
        after={"dissolved_on": on, "merged_into": merged_into.pk if merged_into else None},
    )


def _move_contents(*, actor: Any, source: Organisation, target: Organisation, on: dt.date, member_ids: list[int] | None = None, child_ids: list[int] | None = None) -> tuple[int, int]:
    """Move children and member records of ``source`` (all, or the listed ones) to ``target``."""
    from chibo.members.services import memberships_transfer

    children = OrgVersion.objects.filter(parent=source, valid_to=OPEN)
    if child_ids is not None:
        children = children.filter(org_id__in=child_ids)
    moved_children = 0
    for child in list(children.select_related("org")):
        org_move(actor=actor, org=child.org, new_parent=target, on=on)
        moved_children += 1
    moved_members = memberships_transfer(actor=actor, source=source, target=target, on=on, member_ids=member_ids)
    return moved_children, moved_members


@transaction.atomic
def org_merge(
    *,
    actor: Any,
    sources: list[Organisation],
    on: dt.date,
    into: Organisation | None = None,
    name: str = "",
    parent: Organisation | None = None,
) -> Organisation:
    """Merge ``sources`` into ``into`` (an existing node) or into a new node named ``name``.

    Children and member records move to the target; the sources are dissolved on ``on``.
    """
    if len(sources) < 1 or (into is None and len(sources) < 2):
        raise ChiboError(_("Hãy chọn ít nhất hai tổ chức để hợp nhất."))
    if into is not None and into in sources:
        raise ChiboError(_("Tổ chức nhận không được nằm trong danh sách hợp nhất."))
    first = _current_version(sources[0], on=on)
    if into is None:
        into = org_create(
            actor=actor,
            name=name,
            kind=first.kind,
            parent=parent or first.parent,
            on=on,
            sector=first.sector,
            admin_unit=first.admin_unit,
            area_kind=first.area_kind,
            area_name=area_from_name(name) if first.area_name else "",
        )
    target_version = _current_version(into, on=on)
    names = []
    for source in sources:
        sv = _current_version(source, on=on)
        if target_version.path.startswith(sv.path):
            raise ChiboError(_("Không thể hợp nhất một tổ chức vào tổ chức trực thuộc của nó."))
        names.append(sv.name)
        _move_contents(actor=actor, source=source, target=into, on=on)
        org_dissolve(actor=actor, org=source, on=on, merged_into=into)
    audit.record(
        actor=actor,
        verb="org.merge",
        obj=into,
        summary=_("Hợp nhất %(sources)s vào %(target)s") % {"sources": ", ".join(names), "target": target_version.name},
        after={"sources": [s.pk for s in sources], "on": on},
    )
    return into


@transaction.atomic
def org_split(
    *,
    actor: Any,
    source: Organisation,
    on: dt.date,
    parts: list[dict[str, Any]],
    dissolve_source: bool = False,
) -> list[Organisation]:
    """Split ``source``: each part is {"name", "member_ids", "child_ids", optional "area_name"}.

    New nodes are created beside the source (same parent, kind and sector). With
    ``dissolve_source`` the source must be empty afterwards and is dissolved.
    """
    if not parts:
        raise ChiboError(_("Hãy nêu ít nhất một tổ chức mới khi chia tách."))
    sv = _current_version(source, on=on)
    if sv.parent_id is None:
        raise ChiboError(_("Không thể chia tách tổ chức gốc."))
    created = []
    for part in parts:
        new = org_create(
            actor=actor,
            name=part["name"],
            kind=sv.kind,
            parent=sv.parent,
            on=on,
            sector=sv.sector,
            admin_unit=sv.admin_unit,
            area_kind=sv.area_kind,
            area_name=part.get("area_name") or (area_from_name(part["name"]) if sv.area_name else ""),
        )
        _move_contents(actor=actor, source=source, target=new, on=on, member_ids=list(part.get("member_ids", [])), child_ids=list(part.get("child_ids", [])))
        created.append(new)
    if dissolve_source:
        org_dissolve(actor=actor, org=source, on=on)
    audit.record(
        actor=actor,
        verb="org.split",
        obj=source,
        summary=_("Chia tách %(name)s") % {"name": sv.name},
        after={"parts": [o.pk for o in created], "on": on, "dissolved": dissolve_source},
    )
    return created


