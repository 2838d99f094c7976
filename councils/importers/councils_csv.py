"""Import councils from the reference file `fixtures/data/reference/local_authorities.csv`.

One row per council (153 current plus the former Cumbria, Northamptonshire and Poole): Ofsted URN,
DfE LA code (`la_code`), ONS code (`la_code_new`), region, LA type, population aged 0-25 and the ten
statistical neighbours by DfE code. Quirks of the file, handled here:

* the ONS region codes (`rgn22cd`) are wrong for some rows (Buckinghamshire, Gloucestershire) and one
  short region code is "NotKnown", so the region is taken from its name and given ONS's code;
* former ONS codes are not a column: they show where a neighbour's ONS code (`stat_neighbours_la_code`)
  differs from that council's own (Barnsley E08000016, Sheffield E08000019), and a short list of known
  changes covers the rest (DfE's and Ofsted's files still use them);
* the file does not name successors, and leaves out Bournemouth, which Ofsted's and DfE's files still
  name: both come from REORGANISATIONS below;
* `also_known_as` is a bracketed list whose items may themselves contain commas
  ("[BCP, Bournemouth, Christchurch & Poole]");
* the type is taken from the ONS code (E06 unitary authority, E08 metropolitan district, E09 London
  borough, E10 county council), not from `ons_la_type`, which calls Cumberland, Westmorland and Furness
  and North Yorkshire (E06, unitary since 1 April 2023) county councils and leaves Northamptonshire and
  Poole blank. The City of London (E09) and the Isles of Scilly (E06) are councils of their own kind
  and take their code's type; `ons_la_type` is used only where a row has no ONS code of those four kinds;
* the file does not say when a former council was replaced: the date and the order that replaced it
  come from REORGANISATIONS below.

Councils have no `origin` field, so what was entered by hand is told apart by the history: a council
whose latest change was made by this importer is updated from the file; any other (loaded from a
fixture, edited in the admin) only has its blank fields filled, and differences are reported as
conflicts.
"""

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history

from importing.files import ImportSummary, Progress, parse_int, read_csv_table

from ..lookup import normalise_name
from ..models import Council, CouncilAlias, Region, StatisticalNeighbour
from ..signals import councils_bulk_changed

CHANGE_REASON = "import_councils"
FILL_REASON = "import_councils: filled blank fields"

REQUIRED_COLUMNS = (
    "urn",
    "la_code",
    "la_code_new",
    "stat_neighbours",
    "local_authority_ons_name",
    "region_name",
    "ons_la_type",
    "ons_population_0-25",
)

# ONS codes of the English regions (E12), by name; the file's own region codes are not reliable.
REGIONS = {
    "north east": ("E12000001", "North East"),
    "north west": ("E12000002", "North West"),
    "yorkshire and the humber": ("E12000003", "Yorkshire and The Humber"),
    "east midlands": ("E12000004", "East Midlands"),
    "west midlands": ("E12000005", "West Midlands"),
    "east of england": ("E12000006", "East of England"),
    "east": ("E12000006", "East of England"),
    "london": ("E12000007", "London"),
    "south east": ("E12000008", "South East"),
    "south west": ("E12000009", "South West"),
}


@dataclass(frozen=True)
class Reorganisation:
    """A former council's replacement: the day, its successors (DfE codes) and the order that made it."""

    replaced_on: datetime.date
    successors: tuple
    order: str
    order_url: str


# Each structural changes order (UK Statutory Instruments, published on legislation.gov.uk) abolishes
# the former councils and sets up their successors on the day given: 1 April 2019 for Bournemouth
# and Poole (S.I. 2018/648, articles 4 and 5), 1 April 2021 for Northamptonshire (S.I. 2020/156),
# 1 April 2023 for Cumbria (S.I. 2022/331).
BOURNEMOUTH_DORSET_AND_POOLE = (
    "The Bournemouth, Dorset and Poole (Structural Changes) Order 2018",
    "https://www.legislation.gov.uk/uksi/2018/648/contents/made",
)
NORTHAMPTONSHIRE = (
    "The Northamptonshire (Structural Changes) Order 2020",
    "https://www.legislation.gov.uk/uksi/2020/156/contents/made",
)
CUMBRIA = (
    "The Cumbria (Structural Changes) Order 2022",
    "https://www.legislation.gov.uk/uksi/2022/331/contents/made",
)

# Reorganisations, by DfE code of the former council.
REORGANISATIONS = {
    # Poole -> Bournemouth, Christchurch and Poole
    "836": Reorganisation(datetime.date(2019, 4, 1), ("839",), *BOURNEMOUTH_DORSET_AND_POOLE),
    # Bournemouth -> Bournemouth, Christchurch and Poole
    "837": Reorganisation(datetime.date(2019, 4, 1), ("839",), *BOURNEMOUTH_DORSET_AND_POOLE),
    # Northamptonshire -> North and West Northamptonshire
    "928": Reorganisation(datetime.date(2021, 4, 1), ("940", "941"), *NORTHAMPTONSHIRE),
    # Cumbria -> Cumberland, Westmorland and Furness
    "909": Reorganisation(datetime.date(2023, 4, 1), ("942", "943"), *CUMBRIA),
}

# Former councils the reference file leaves out but official files still name (Ofsted's ILACS history,
# DfE's workforce and child protection files to 2019).
EXTRA_FORMER_COUNCILS = (
    {
        "name": "Bournemouth",
        "la_code": "837",
        "ons_code": "E06000028",
        "ofsted_urn": None,
        "region": "south west",
        "population_0_25": None,
    },
)

# Former ONS codes still used by official files (Ofsted 2025, DfE to 2025), by DfE code.
KNOWN_FORMER_ONS_CODES = {
    "370": ("E08000016",),  # Barnsley, E08000038 from 2025
    "373": ("E08000019",),  # Sheffield, E08000039 from 2025
    "825": ("E10000002",),  # Buckinghamshire, unitary (E06000060) from 2020
    "815": ("E10000023",),  # North Yorkshire, unitary (E06000065) from 2023
    "933": ("E10000027",),  # Somerset, unitary (E06000066) from 2023
}

LA_TYPES = {choice.value.lower(): choice.value for choice in Council.LAType}
# ONS's code prefix of each kind of upper-tier council in England.
LA_TYPES_BY_ONS_PREFIX = {
    "E06": Council.LAType.UNITARY_AUTHORITY,
    "E08": Council.LAType.METROPOLITAN_DISTRICT,
    "E09": Council.LAType.LONDON_BOROUGH,
    "E10": Council.LAType.COUNTY,
}
ONS_CODE = re.compile(r"^[EWSN]\d{8}$")

def split_codes(text):
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def parse_aliases(text, own_name):
    """Items of a bracketed list; neighbouring items are joined where together they make the
    council's own name ("Bournemouth", "Christchurch & Poole" -> "Bournemouth, Christchurch & Poole")."""
    items = split_codes((text or "").strip().strip("[]"))
    own = normalise_name(own_name)
    result, i = [], 0
    while i < len(items):
        for j in range(len(items), i + 1, -1):
            joined = ", ".join(items[i:j])
            if normalise_name(joined) == own:
                result.append(joined)
                i = j
                break
        else:
            result.append(items[i])
            i += 1
    return result


@dataclass
class _Row:
    """One council as the file gives it."""

    line: int
    name: str
    la_code: str
    ons_code: str
    ofsted_urn: str
    region: str
    la_type: str
    population_0_25: int | None
    neighbours: list = field(default_factory=list)
    neighbour_ons: list = field(default_factory=list)
    aliases: list = field(default_factory=list)  # (kind, value)

    @property
    def is_current(self):
        return self.la_code not in REORGANISATIONS


def _parse_rows(rows, summary):

    parsed = []
    for line, row in rows:
        name = " ".join((row.get("local_authority_ons_name") or "").split())
        la_code = (row.get("la_code") or "").strip()
        if not name:
            summary.skip("no council name", f"line {line}")
            continue
        if not re.fullmatch(r"\d{3}", la_code):
            summary.skip("DfE LA code is not three digits", f"line {line}: {la_code or 'blank'}")
            continue
        ons_code = (row.get("la_code_new") or "").strip().upper() or None
        if ons_code and not ONS_CODE.match(ons_code):
            summary.skip("ONS code not recognised (left blank)", f"line {line}: {ons_code}")
            ons_code = None
        urn = (row.get("urn") or "").strip() or None
        if urn and not urn.isdigit():
            summary.skip("Ofsted URN not a number (left blank)", f"line {line}: {urn}")
            urn = None
        region_name = (row.get("region_name") or row.get("rgn22nm") or "").strip().lower()
        if region_name not in REGIONS:
            summary.skip("region not recognised (left blank)", f"line {line}: {region_name or 'blank'}")
            region_name = None
        la_type = LA_TYPES_BY_ONS_PREFIX.get((ons_code or "")[:3]) or LA_TYPES.get(
            (row.get("ons_la_type") or "").strip().lower(), ""
        )
        population = parse_int(row.get("ons_population_0-25"))
        item = _Row(
            line=line,
            name=name,
            la_code=la_code,
            ons_code=ons_code,
            ofsted_urn=urn,
            region=region_name,
            la_type=la_type,
            population_0_25=population,
        )
        neighbours = split_codes(row.get("stat_neighbours"))
        if not neighbours and not item.is_current:
            # A former council has only the previous edition's neighbours.
            neighbours = split_codes(row.get("stat_neighbours_previous"))
        item.neighbours = neighbours
        item.neighbour_ons = split_codes(row.get("stat_neighbours_la_code"))
        for alias in parse_aliases(row.get("also_known_as"), name):
            item.aliases.append((CouncilAlias.Kind.NAME, alias))
        for column in ("utla23nm", "ltla23nm"):
            other = " ".join((row.get(column) or "").split())
            if other and other.lower() != name.lower():
                item.aliases.append((CouncilAlias.Kind.NAME, other))
        parsed.append(item)
    return parsed


def import_local_authorities(path, *, progress_stream=None, show_progress=None):
    """Create or update every council of the reference CSV. Returns an ImportSummary."""

    table = read_csv_table(path, REQUIRED_COLUMNS, "the reference file of local authorities")
    summary = ImportSummary(path)
    progress = Progress(len(table.rows), f"Councils from {summary.name}", progress_stream, show_progress)
    with transaction.atomic():
        councils_bulk_changed.send(sender=Council, using="default")  # the bulk writes below send no signals
        rows = _parse_rows(table.rows, summary)
        importer = _Importer(rows, summary, progress)
        progress.total = len(importer.rows)
        importer.run()
    progress.done()
    return summary


class _Importer:
    def __init__(self, rows, summary, progress):
        self.rows = rows
        self.summary = summary
        self.progress = progress
        known = {row.la_code for row in rows}
        for extra in EXTRA_FORMER_COUNCILS:
            if extra["la_code"] not in known:
                self.rows.append(
                    _Row(
                        line="(known former council)",
                        name=extra["name"],
                        la_code=extra["la_code"],
                        ons_code=extra["ons_code"],
                        ofsted_urn=extra["ofsted_urn"],
                        region=extra["region"],
                        la_type=LA_TYPES_BY_ONS_PREFIX[extra["ons_code"][:3]],
                        population_0_25=extra["population_0_25"],
                    )
                )

    def run(self):
        regions = self.ensure_regions()
        councils = self.save_councils(regions)
        self.save_successors(councils)
        self.save_aliases(councils)
        self.save_neighbours(councils)

    def ensure_regions(self):
        wanted = {REGIONS[row.region] for row in self.rows if row.region}
        existing = {region.code: region for region in Region.objects.all()}
        for code, name in sorted(wanted):
            if code in existing:
                self.summary.count_unchanged("regions")
                continue
            region = Region.objects.filter(name__iexact=name).first()
            if region is not None:  # same region under another code: keep it, report it
                self.summary.conflict(
                    f"Region {name}: the database has code {region.code}, ONS's is {code}; kept the database's."
                )
                existing[code] = region
                continue
            existing[code] = Region.objects.create(code=code, name=name)
            self.summary.count_created("regions")
        return {key: existing.get(code) for key, (code, _name) in REGIONS.items()}

    def owned_ids(self, council_ids):
        """Councils whose latest recorded change was made by this importer."""
        latest = {}
        for council_id, reason in (
            Council.history.filter(id__in=council_ids)
            .order_by("id", "-history_date", "-history_id")
            .values_list("id", "history_change_reason")
        ):
            latest.setdefault(council_id, reason)
        return {council_id for council_id, reason in latest.items() if reason == CHANGE_REASON}

    def find_existing(self, row, by_code, by_urn, by_ons, by_name):
        return (
            by_code.get(row.la_code)
            or (by_urn.get(row.ofsted_urn) if row.ofsted_urn else None)
            or (by_ons.get(row.ons_code) if row.ons_code else None)
            or by_name.get(normalise_name(row.name))
        )

    def save_councils(self, regions):
        existing = list(Council.objects.all())
        by_code = {c.la_code: c for c in existing if c.la_code}
        by_urn = {c.ofsted_urn: c for c in existing if c.ofsted_urn}
        by_ons = {c.ons_code: c for c in existing if c.ons_code and c.is_current}
        by_name = {normalise_name(c.name): c for c in existing}
        slugs = {c.slug for c in existing}
        owned = self.owned_ids([c.pk for c in existing])
        to_create, result = [], {}
        for row in self.rows:
            self.progress.advance()
            wanted = {
                "name": row.name,
                "ofsted_urn": row.ofsted_urn,
                "la_code": row.la_code,
                "ons_code": row.ons_code,
                "region_id": regions[row.region].pk if row.region else None,
                "la_type": row.la_type,
                "population_0_25": row.population_0_25,
                "is_current": row.is_current,
                **self.replacement(row),
            }
            council = self.find_existing(row, by_code, by_urn, by_ons, by_name)
            if council is None:
                slug = base = slugify(row.name) or f"council-{row.la_code}"
                counter = 2
                while slug in slugs:
                    slug, counter = f"{base}-{counter}", counter + 1
                slugs.add(slug)
                council = Council(slug=slug, **wanted)
                to_create.append(council)
                result[row.la_code] = council
                continue
            result[row.la_code] = council
            self.update_council(council, wanted, council.pk in owned, row)
        if to_create:
            bulk_create_with_history(to_create, Council, default_change_reason=CHANGE_REASON)
            self.summary.count_created("councils", len(to_create))
        return result

    @staticmethod
    def replacement(row):
        reorganisation = REORGANISATIONS.get(row.la_code)
        if reorganisation is None:
            return {}
        return {
            "replaced_on": reorganisation.replaced_on,
            "replaced_under": reorganisation.order,
            "replaced_under_url": reorganisation.order_url,
        }

    def update_council(self, council, wanted, owned, row):
        changed, conflicts = [], []
        for name, value in wanted.items():
            current = getattr(council, name)
            if current == value or value in (None, ""):
                continue
            if owned or current in (None, ""):
                setattr(council, name, value)
                changed.append(name)
            else:
                conflicts.append(f"{name.removesuffix('_id')} is {current!r} in the database, {value!r} in the file")
        if conflicts:
            self.summary.conflict(f"{council.name} (entered by hand): " + "; ".join(conflicts) + "; kept the database's.")
        if changed:
            council._change_reason = CHANGE_REASON if owned else FILL_REASON
            council.save()
            self.summary.count_updated("councils")
        else:
            self.summary.count_unchanged("councils")

    def save_successors(self, councils):
        through = Council.successors.through
        existing = set(through.objects.values_list("from_council_id", "to_council_id"))
        new = []
        for former_code, reorganisation in REORGANISATIONS.items():
            former = councils.get(former_code)
            if former is None:
                continue
            for code in reorganisation.successors:
                successor = councils.get(code)
                if successor is None:
                    self.summary.skip("successor council not in the file", f"{former.name} -> DfE {code}")
                    continue
                if (former.pk, successor.pk) in existing:
                    self.summary.count_unchanged("successor links")
                    continue
                new.append(through(from_council_id=former.pk, to_council_id=successor.pk))
        if new:
            through.objects.bulk_create(new)
            self.summary.count_created("successor links", len(new))

    def desired_aliases(self, councils):
        rows_by_code = {row.la_code: row for row in self.rows}
        ons_by_dfe = {row.la_code: row.ons_code for row in self.rows}
        wanted = defaultdict(set)  # la_code -> {(kind, value)}
        for row in self.rows:
            wanted[row.la_code].update(row.aliases)
            for dfe, ons in zip(row.neighbours, row.neighbour_ons, strict=False):
                if dfe in ons_by_dfe and ons_by_dfe[dfe] and ons.upper() != ons_by_dfe[dfe] and ONS_CODE.match(ons):
                    wanted[dfe].add((CouncilAlias.Kind.ONS_CODE, ons.upper()))
        for dfe, codes in KNOWN_FORMER_ONS_CODES.items():
            if dfe in rows_by_code:
                wanted[dfe].update((CouncilAlias.Kind.ONS_CODE, code) for code in codes)
        deduplicated = {}
        for dfe, aliases in wanted.items():
            unique = {}
            for kind, value in sorted(aliases):
                unique.setdefault((kind, value.lower()), (kind, value))
            deduplicated[dfe] = set(unique.values())
        return deduplicated

    def save_aliases(self, councils):
        names = defaultdict(set)
        for council in councils.values():
            names[normalise_name(council.name)].add(council.pk)
        current_ons = {c.ons_code: c.pk for c in councils.values() if c.ons_code}
        existing = {(kind, value.lower()): council_id for council_id, kind, value in CouncilAlias.objects.values_list("council_id", "kind", "value")}
        new = []
        for la_code, aliases in sorted(self.desired_aliases(councils).items()):
            council = councils.get(la_code)
            if council is None:
                continue
            for kind, value in sorted(aliases):
                if kind == CouncilAlias.Kind.NAME and names.get(normalise_name(value), {council.pk}) - {council.pk}:
                    self.summary.skip("alias is another council's name", f"{council.name}: {value}")
                    continue
                if kind == CouncilAlias.Kind.ONS_CODE and current_ons.get(value, council.pk) != council.pk:
                    self.summary.skip("former ONS code is another council's code", f"{council.name}: {value}")
                    continue
                holder = existing.get((kind, value.lower()))
                if holder == council.pk:
                    self.summary.count_unchanged("council aliases")
                elif holder is not None:
                    self.summary.skip("alias already used by another council", f"{council.name}: {value}")
                else:
                    existing[(kind, value.lower())] = council.pk
                    new.append(CouncilAlias(council=council, kind=kind, value=value))
        if new:
            CouncilAlias.objects.bulk_create(new)
            self.summary.count_created("council aliases", len(new))

    def save_neighbours(self, councils):
        by_code = {code: council for code, council in councils.items()}
        existing = defaultdict(list)
        for council_id, rank, neighbour_id in StatisticalNeighbour.objects.order_by("council_id", "rank").values_list(
            "council_id", "rank", "neighbour_id"
        ):
            existing[council_id].append((rank, neighbour_id))
        owned = self.owned_ids([c.pk for c in councils.values()])
        to_delete, to_create = [], []
        for row in self.rows:
            council = councils.get(row.la_code)
            if council is None or not row.neighbours:
                continue
            wanted, seen = [], set()
            for code in row.neighbours:
                neighbour = by_code.get(code)
                if neighbour is None:
                    self.summary.skip("statistical neighbour not known (DfE code)", f"{row.name}: {code}")
                    continue
                if neighbour.pk == council.pk or neighbour.pk in seen:
                    self.summary.skip("statistical neighbour repeated or the council itself", f"{row.name}: {code}")
                    continue
                seen.add(neighbour.pk)
                wanted.append((len(wanted) + 1, neighbour.pk))
                if len(wanted) == 10:
                    break
            have = existing.get(council.pk, [])
            if have == wanted:
                self.summary.count_unchanged("statistical neighbour lists")
                continue
            if have and council.pk not in owned:
                self.summary.conflict(
                    f"{council.name} (entered by hand): its statistical neighbours differ from the file's; kept the database's."
                )
                continue
            if have:
                to_delete.append(council.pk)
                self.summary.count_updated("statistical neighbour lists")
            else:
                self.summary.count_created("statistical neighbour lists")
            to_create.extend(
                StatisticalNeighbour(council_id=council.pk, neighbour_id=neighbour_id, rank=rank)
                for rank, neighbour_id in wanted
            )
        if to_delete:
            StatisticalNeighbour.objects.filter(council_id__in=to_delete).delete()
        if to_create:
            StatisticalNeighbour.objects.bulk_create(to_create)
