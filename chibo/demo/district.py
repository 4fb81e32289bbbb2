"""The district dataset: Đầm Hà district of Quảng Ninh from 01/01/2022, through the 2025 reorganisation.

- 01/01/2022: Đảng bộ tỉnh Quảng Ninh → Đảng bộ huyện Đầm Hà (directly subordinate) → 9 commune and
  township committees with 74 residential cells, plus agency, school and police cells; the district
  agencies' grassroots cells sit under the district.
- 01/04/2022: villages merged under Resolution 89/NQ-HĐND of 31/3/2022 (seed 004): 70 residential cells.
- 03/07/2022 and 20/04/2025: cell congresses; the secretary is also the village head (100%, seed 004).
- 01/07/2025: no more districts. Communes are merged, move directly under the province and become
  directly subordinate committees; the district agencies' cells move under the new xã Đầm Hà; the
  district committee is dissolved.

Village and commune names are plausible, not a gazetteer; the 2025 grouping is illustrative.
"""

from __future__ import annotations

import datetime as dt

from chibo.core.models import OPEN
from chibo.demo.plan import (
    CONGRESSES,
    REORGANISATION,
    Change,
    Dissolve,
    Merge,
    Move,
    OrgSpec,
    People,
    Person,
    Plan,
    TermSpec,
    assign_leadership,
    between,
    plain_member,
)

VILLAGE_MERGER = dt.date(2022, 4, 1)

# Seed 001: on 3/7/2022 the 1,421 village, hamlet and quarter cells of Quảng Ninh held their congresses
# for the 2022–2025 term, the second 2.5-year term of the Charter's five years (2020–2022 before it);
# the 2025 congresses (CONGRESSES[1]) opened the five-year 2025–2030 term (294-QĐ/TW). The first
# term's congress day is not in the seeds (None) and its start, 01/01/2020, is a guess.
SEED_001_TERMS: tuple[TermSpec, ...] = (
    ("2020–2022", None, dt.date(2020, 1, 1), CONGRESSES[0]),
    ("2022–2025", CONGRESSES[0], CONGRESSES[0], CONGRESSES[1]),
    ("2025–2030", CONGRESSES[1], CONGRESSES[1], dt.date(2030, 4, 20)),
)


def seed_001_terms(founded: dt.date | None = None) -> tuple[TermSpec, ...]:
    """The seed-001 terms of a residential cell; one founded within the history (a village formed by
    the merger of 01/04/2022) starts its first term the day it was founded."""
    if founded is None:
        return SEED_001_TERMS
    return tuple((name, congress, max(start, founded), end) for name, congress, start, end in SEED_001_TERMS if end > founded)

# slug, name (after "Đảng bộ "), admin unit, area kind, areas, ethnic shares
COMMUNES: list[tuple[str, str, str, str, list[str], dict[str, float]]] = [
    ("TTDH", "thị trấn Đầm Hà", "township", "quarter", [f"Khu phố {i}" for i in range(1, 11)], {"Dao": 0.02}),
    ("QTAN", "xã Quảng Tân", "commune", "village",
     ["Trung Sơn", "Sơn Hải", "Đồng Tâm", "Tân Sơn", "Tân Hợp", "Đông Hải", "Tân Đức", "Quảng Phúc", "Bình Hải"],
     {"Dao": 0.05}),
    ("QLOI", "xã Quảng Lợi", "commune", "village",
     ["Tân Lợi", "Đồng Long", "Hà Lợi", "Thành Long", "Lợi Hải", "Cổ Tân", "Tiên Hải"], {"Dao": 0.04}),
    ("DBIN", "xã Đại Bình", "commune", "village",
     ["Nhâm Cao", "Làng Y", "Bình Minh", "Đại Thành", "Tân Đông", "Thượng Bình", "Hạ Bình"],
     {"Dao": 0.10, "Sán Chỉ": 0.05}),
    ("TBIN", "xã Tân Bình", "commune", "village",
     ["Tân Hòa", "Tân Tiến", "Tân Phú", "Bình Hồ", "Tân Thành", "Đồng Mới", "Tân Mộc", "An Thịnh", "An Bình"],
     {"Dao": 0.10, "Sán Chỉ": 0.05}),
    ("TLAP", "xã Tân Lập", "commune", "village",
     ["Tân Lập", "Đồng Tiến", "Tân Lương", "Phú Cường", "Đồng Sơn", "Cái Bầu"], {"Dao": 0.06}),
    ("QLAM", "xã Quảng Lâm", "commune", "hamlet",
     ["Khe Mó", "Khe Cát", "Làng Đài", "Tài Chi", "Lý Quáng", "Nà Sảng", "Khe Vang", "Pạc Sủi", "Khe Sú", "Pò Hèn"],
     {"Dao": 0.75, "Sán Chỉ": 0.05, "Tày": 0.03}),
    ("QAN", "xã Quảng An", "commune", "village",
     ["Tầm Làng", "Mào Sán Cáu", "Xóm Mới", "Đồng Tâm", "An Sơn", "Tân Quảng", "An Hải", "Mốc Hai"],
     {"Dao": 0.30, "Sán Chỉ": 0.15}),
    ("DYEN", "xã Dực Yên", "commune", "village",
     ["Đông", "Đông Hải", "Tây", "Trung", "Nam Hải", "Yên Hải", "Hà Đàn", "Lục Chủ"], {"Dao": 0.05}),
]
# Villages merged on 01/04/2022: (commune slug, sources, target; a target not among the commune's
# areas is a new village).
VILLAGE_MERGES: list[tuple[str, list[str], str]] = [
    ("QTAN", ["Sơn Hải"], "Trung Sơn"),
    ("DYEN", ["Đông Hải"], "Đông"),
    ("TBIN", ["An Thịnh", "An Bình"], "Bình An"),
    ("QLAM", ["Khe Sú", "Pò Hèn"], "Làng Mới"),
]
# Other cells of every commune: name (the commune's name is appended), sector, people profile.
COMMUNE_CELLS = [
    ("Chi bộ Cơ quan", "agency", "agency"),
    ("Chi bộ Trường học", "school", "school"),
    ("Chi bộ Công an", "police", "police"),
]
DISTRICT_CELLS = [
    ("Chi bộ Cơ quan Huyện ủy", "agency"),
    ("Chi bộ Cơ quan HĐND và UBND huyện", "agency"),
    ("Chi bộ Cơ quan Mặt trận Tổ quốc và các đoàn thể huyện", "agency"),
    ("Chi bộ Trung tâm Chính trị huyện", "agency"),
    ("Chi bộ Trung tâm Văn hóa - Thể thao và Truyền thông huyện", "agency"),
    ("Chi bộ Ban Quản lý dự án đầu tư xây dựng huyện", "agency"),
    ("Chi bộ Trường THPT Đầm Hà", "school"),
]
# The 2025 communes: (new name or None to keep the first's, the merged communes, the first absorbs the rest
# unless a new name is given).
NEW_COMMUNES: list[tuple[str | None, list[str]]] = [
    ("xã Đầm Hà", ["TBIN", "TTDH", "DBIN"]),
    (None, ["QTAN", "DYEN"]),
    (None, ["QAN", "QLAM"]),
    (None, ["QLOI", "TLAP"]),
]
PERSONA_COMMUNE, PERSONA_VILLAGE = "QTAN", "Trung Sơn"


def area_label(area_kind: str, area: str) -> str:
    """How a cell names its area: "thôn Trung Sơn", "bản Khe Mó", "khu phố 3"."""
    if area.startswith(("Thôn ", "Bản ", "Khu ")):
        return area[0].lower() + area[1:]
    if area_kind == "village":
        return f"thôn {area}"
    if area_kind == "hamlet":
        return f"bản {area}"
    return area[0].lower() + area[1:]


def build_district(*, seed: int, today: dt.date) -> Plan:
    plan = Plan(scale="district", seed=seed, today=today)
    rng = plan.rng
    people = People(rng, today=today)
    root = plan.add_org(code="QN", name="Đảng bộ tỉnh Quảng Ninh", kind="provincial", parent=None)
    district = plan.add_org(code="QN-DH", name="Đảng bộ huyện Đầm Hà", kind="direct", parent=root.key)

    communes: dict[str, OrgSpec] = {}
    villages: dict[tuple[str, str], OrgSpec] = {}
    cells: list[tuple[OrgSpec, str, dict[str, float]]] = []  # every cell with its people profile
    for slug, name, admin_unit, area_kind, areas, ethnic in COMMUNES:
        commune = plan.add_org(code=f"QN-DH-{slug}", name=f"Đảng bộ {name}", kind="grassroots_committee", parent=district.key, admin_unit=admin_unit)
        communes[slug] = commune
        for i, area in enumerate(areas, start=1):
            cell = plan.add_org(
                code=f"QN-DH-{slug}-{i:02d}", name=f"Chi bộ {area_label(area_kind, area)}", kind="cell", parent=commune.key,
                sector="residential", area_kind=area_kind, area_name=area, profile="residential",
            )
            villages[(slug, area)] = cell
            cells.append((cell, "residential", ethnic))
        for j, (cell_name, sector, profile) in enumerate(COMMUNE_CELLS, start=1):
            cell = plan.add_org(code=f"QN-DH-{slug}-C{j}", name=f"{cell_name} {name}", kind="cell", parent=commune.key, sector=sector, profile=profile)
            cells.append((cell, profile, ethnic))
    for j, (cell_name, sector) in enumerate(DISTRICT_CELLS, start=1):
        cell = plan.add_org(code=f"QN-DH-CB{j}", name=cell_name, kind="grassroots_cell", parent=district.key, sector=sector, profile=sector)
        cells.append((cell, sector, {"Dao": 0.05}))

    # Village mergers of 01/04/2022.
    merged_away: dict[int, int] = {}  # source cell -> target cell
    new_villages: list[OrgSpec] = []
    for n, (slug, sources, target_area) in enumerate(VILLAGE_MERGES, start=1):
        commune = communes[slug]
        target = villages.get((slug, target_area))
        if target is None:
            area_kind = villages[(slug, sources[0])].area_kind
            target = plan.add_org(
                code=f"QN-DH-{slug}-M{n}", name=f"Chi bộ {area_label(area_kind, target_area)}", kind="cell", parent=commune.key,
                sector="residential", area_kind=area_kind, area_name=target_area, profile="residential",
                founded=VILLAGE_MERGER, by_op=True,
            )
            villages[(slug, target_area)] = target
            new_villages.append(target)
        source_keys = [villages[(slug, s)].key for s in sources]
        for key in source_keys:
            merged_away[key] = target.key
        plan.ops.append(Merge(on=VILLAGE_MERGER, sources=source_keys, into=target.key))

    # The recorded terms of the residential cells (seed 001); other cells get theirs in demo.meetings.
    for spec in [c for c, _p, _e in cells] + new_villages:
        if spec.sector == "residential" and spec.key not in merged_away:
            plan.cell_terms[spec.key] = seed_001_terms(spec.founded if spec.by_op else None)

    # Members, cell by cell.
    members_of: dict[int, list[Person]] = {}
    for cell, profile, ethnic in cells:
        if cell.key in merged_away:  # members of a merged village: long-standing ones only
            active = rng.randint(9, 20)
            members_of[cell.key] = _populate(plan, people, cell=cell, profile=profile, ethnic=ethnic, active=active, new_share=0.0, arrivals=0)
            continue
        if profile == "residential":
            active, arrivals = int(rng.triangular(12, 45, 22)), rng.randint(0, 2)
        elif cell.kind == "grassroots_cell":
            active, arrivals = int(rng.triangular(18, 70, 35)), rng.randint(0, 3)
        else:
            active, arrivals = int(rng.triangular(6, 22, 10)), rng.randint(0, 1)
        members_of[cell.key] = _populate(plan, people, cell=cell, profile=profile, ethnic=ethnic, active=active, new_share=0.09, arrivals=arrivals)
    for cell in new_villages:  # new villages: admissions after the merger
        ethnic = next(e for s, _n, _a, _k, _areas, e in COMMUNES if communes[s].key == cell.parent)
        members_of[cell.key] = _populate(plan, people, cell=cell, profile="residential", ethnic=ethnic, active=rng.randint(1, 3), new_share=1.0, arrivals=0, stable=0)

    # Merged villages' members continue in the target village.
    for source_key, target_key in merged_away.items():
        for person in members_of[source_key]:
            org_key, start, _end = person.memberships[0]
            person.memberships = [(org_key, start, VILLAGE_MERGER), (target_key, VILLAGE_MERGER, OPEN)]
        members_of[target_key] = members_of[target_key] + members_of[source_key]

    # Leadership: secretaries (also village heads in residential cells), deputies, committees.
    by_key = {spec.key: spec for spec in plan.orgs}
    secretaries: dict[int, Person | None] = {}
    for key, members in members_of.items():
        spec = by_key[key]
        residential = spec.sector == "residential"
        end = VILLAGE_MERGER if key in merged_away else OPEN
        pool = [p for p in members if p.stable]
        secretaries[key] = assign_leadership(
            rng, org=key, area_name=spec.area_name, pool=pool, size=len(members), start=spec.founded, end=end,
            community_kind="village_head" if residential else None,
        )

    # A few members move to another cell (a new home, a new job) after the village mergers.
    live_cells = [spec.key for spec, _p, _e in cells if spec.key not in merged_away] + [c.key for c in new_villages]
    movers = [p for p in plan.people if not p.stable and len(p.memberships) == 1 and p.memberships[0][0] not in merged_away and p.statuses[-1][0] in ("official", "probationary")]
    rng.shuffle(movers)
    for person in movers[: max(len(movers) // 60, 1)]:
        org_key, start, _end = person.memberships[0]
        lo = max(start, VILLAGE_MERGER) + dt.timedelta(days=1)
        hi = today - dt.timedelta(days=1)
        if hi <= lo:
            continue
        day = between(rng, lo, hi)
        siblings = [k for k in live_cells if k != org_key and by_key[k].parent == by_key[org_key].parent]
        new_cell = rng.choice(siblings if siblings and rng.random() < 0.7 else [k for k in live_cells if k != org_key])
        person.memberships = [(org_key, start, day), (new_cell, day, OPEN)]

    # 01/07/2025: communes merged and moved under the province; the district is dissolved.
    top: list[OrgSpec] = []
    for new_name, slugs in NEW_COMMUNES:
        merged = [communes[slug] for slug in slugs]
        if new_name:
            into = plan.add_org(
                code=f"QN-{_slug(new_name)}", name=f"Đảng bộ {new_name}", kind="grassroots_committee", parent=district.key,
                admin_unit="commune", founded=REORGANISATION, by_op=True,
            )
            plan.ops.append(Merge(on=REORGANISATION, sources=[c.key for c in merged], into=into.key))
        else:
            into = merged[0]
            plan.ops.append(Merge(on=REORGANISATION, sources=[c.key for c in merged[1:]], into=into.key))
        top.append(into)
    for commune in top:
        plan.ops.append(Move(on=REORGANISATION, key=commune.key, parent=root.key))
        plan.ops.append(Change(on=REORGANISATION, key=commune.key, changes={"kind": "direct", "admin_unit": "commune"}))
    new_home = top[0]
    for spec in plan.orgs:
        if spec.parent == district.key and spec.kind == "grassroots_cell":
            plan.ops.append(Move(on=REORGANISATION, key=spec.key, parent=new_home.key))
    plan.ops.append(Dissolve(on=REORGANISATION, key=district.key))

    # Personas: a member and the secretary of Chi bộ thôn Trung Sơn, staff of its commune and of the province.
    village = villages[(PERSONA_COMMUNE, PERSONA_VILLAGE)]
    secretary = secretaries[village.key]
    assert secretary is not None
    plain = plain_member(members_of[village.key], org=village.key)
    index = {id(p): i for i, p in enumerate(plan.people)}
    plan.persona_people = {"dangvien": index[id(plain)], "bithu": index[id(secretary)]}
    plan.persona_grants = {
        "dangvien": ("member", village.key),
        "bithu": ("secretary", village.key),
        "canboxa": ("staff", communes[PERSONA_COMMUNE].key),
        "canbotinh": ("staff", root.key),
        "quantri": ("admin", None),
    }
    return plan


def _populate(
    plan: Plan,
    people: People,
    *,
    cell: OrgSpec,
    profile: str,
    ethnic: dict[str, float],
    active: int,
    new_share: float,
    arrivals: int,
    stable: int = 6,
) -> list[Person]:
    from chibo.demo.plan import populate_cell

    departed = sum(1 for _ in range(active) if plan.rng.random() < 0.06)
    return populate_cell(
        plan, people, org=cell.key, profile=profile, active=active, departed=departed, new_share=new_share,
        arrivals=arrivals, start=cell.founded, ethnic_share=ethnic, stable_min=min(stable, active),
    )


def _slug(name: str) -> str:
    from chibo.core.text import fold

    return fold(name).replace("xa ", "XA-").replace(" ", "").upper()
