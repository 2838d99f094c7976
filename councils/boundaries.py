"""The boundaries of England's upper-tier councils, drawn as SVG paths for the map.

ONS publishes boundaries of local authority districts (lower tier: districts, unitary authorities,
London boroughs, metropolitan districts) and a lookup from each district to the upper-tier authority
(county or unitary) that runs its children's services. build() dissolves the districts into those
councils, projects them onto a plane, simplifies them and writes SVG path data; it runs once
(`manage.py build_boundaries`), and the app ships its small result, read by shipped_boundaries().
The geometry library (shapely) is needed by the build only, never at run time.

London's 33 boroughs are too small on a map of England to see or click, so they are drawn again,
larger, in an inset: each London borough has a second path, placed in the inset's frame.
"""

import csv
import functools
import hashlib
import json
import math
import os
import re
import tempfile
from pathlib import Path

from django.db.models import Case, F, OuterRef, Subquery, When

from .models import CouncilAlias

SHIPPED = Path(__file__).resolve().parent.parent / "fixtures" / "data" / "reference" / "council_boundaries.json"

# The map's height in SVG units; coordinates are whole units (about 0.65 km each across England).
HEIGHT = 1000
# Simplification, in km on the ground: under a unit of the map, so that only what cannot be seen goes.
TOLERANCE_KM = 0.3
# GSS codes E09 are London's boroughs and the City of London: drawn again in the inset.
INSET_PREFIX = "E09"
INSET_LABEL = "London"
INSET_SCALE = 3  # the inset is this many times larger than the main map
INSET_TOLERANCE_KM = TOLERANCE_KM / INSET_SCALE
INSET_MARGIN = 10  # units between the inset's frame and the edge of the map

# Lambert conformal conic projection for England (spherical earth): standard parallels 51 and 55 N,
# centred on 53.5 N, 2 W. Shapes keep their proportions across the whole country, as on Ordnance
# Survey maps, with no extra dependency.
EARTH_RADIUS_KM = 6371.0
PARALLELS = (51.0, 55.0)
ORIGIN = (-2.0, 53.5)  # longitude, latitude

DISTRICT_CODE = re.compile(r"^LAD(\d\d)CD$")
DISTRICT_NAME = re.compile(r"^LAD(\d\d)NM$")
LOOKUP_COLUMNS = ("LTLA{yy}CD", "UTLA{yy}CD", "UTLA{yy}NM")
LOOKUP_DISTRICT_COLUMN = re.compile(r"^LTLA(\d\d)CD$")

# What the two files are, as their publisher names them (the files carry no title of their own; the
# year comes from their column names). Both are ONS's, under the Open Government Licence, whose
# geography products also carry Ordnance Survey's notice.
PUBLISHER = "Office for National Statistics"
LICENCE = "Open Government Licence v3.0"
OS_NOTICE = "Contains OS data © Crown copyright and database right {year}"


class BoundaryError(Exception):
    """A source file the build cannot use: the message says which and why, in one line."""


def _projector():
    phi1, phi2 = (math.radians(p) for p in PARALLELS)
    lon0, lat0 = (math.radians(v) for v in ORIGIN)

    def t(phi):
        return math.tan(math.pi / 4 + phi / 2)

    n = math.log(math.cos(phi1) / math.cos(phi2)) / math.log(t(phi2) / t(phi1))
    f = math.cos(phi1) * t(phi1) ** n / n
    rho0 = EARTH_RADIUS_KM * f / t(lat0) ** n

    def project(coords):
        """(N, 2) longitudes and latitudes in degrees -> (N, 2) km east and north of the origin."""
        import numpy as np  # noqa: PLC0415 - installed with shapely, for the build only

        lon, lat = np.radians(coords[:, 0]), np.radians(coords[:, 1])
        rho = EARTH_RADIUS_KM * f / np.tan(np.pi / 4 + lat / 2) ** n
        theta = n * (lon - lon0)
        return np.column_stack([rho * np.sin(theta), rho0 - rho * np.cos(theta)])

    return project


def _sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def read_districts(path):
    """[(district code, name, GeoJSON geometry)] of England's districts in an ONS boundaries GeoJSON, and its year."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise BoundaryError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise BoundaryError(f"{path}: cannot be read ({error})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise BoundaryError(f"{path}: not JSON ({error.msg}, line {error.lineno})") from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" or not isinstance(data.get("features"), list):
        raise BoundaryError(f"{path}: not a GeoJSON FeatureCollection")
    features = data["features"]
    if not features:
        raise BoundaryError(f"{path}: a GeoJSON FeatureCollection with no features")
    districts, years = [], set()
    for number, feature in enumerate(features, start=1):
        properties = (feature or {}).get("properties") or {}
        code_fields = [name for name in properties if DISTRICT_CODE.match(name)]
        if len(code_fields) != 1:
            raise BoundaryError(f"{path}: feature {number} has no district code (a LADyyCD property)")
        year = DISTRICT_CODE.match(code_fields[0]).group(1)
        years.add(year)
        code = str(properties[code_fields[0]] or "").strip()
        if not code.startswith("E"):
            continue  # Wales, Scotland, Northern Ireland
        geometry = feature.get("geometry") or {}
        if geometry.get("type") not in ("Polygon", "MultiPolygon"):
            raise BoundaryError(f"{path}: district {code} has no polygon (geometry {geometry.get('type')})")
        districts.append((code, str(properties.get(f"LAD{year}NM") or ""), geometry))
    if len(years) != 1:
        raise BoundaryError(f"{path}: districts of several years ({', '.join(sorted(years))})")
    codes = [code for code, _name, _geometry in districts]
    repeated = sorted({code for code in codes if codes.count(code) > 1})
    if repeated:
        raise BoundaryError(f"{path}: district {repeated[0]} is given more than once")
    if not districts:
        raise BoundaryError(f"{path}: no district in England (codes starting E)")
    return districts, "20" + years.pop()


def read_lookup(path):
    """{district code: (upper-tier code, upper-tier name)} for England, from ONS's LTLA to UTLA lookup CSV, and its year."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            columns = reader.fieldnames or []
            match = next((LOOKUP_DISTRICT_COLUMN.match(c) for c in columns if LOOKUP_DISTRICT_COLUMN.match(c)), None)
            if match is None:
                raise BoundaryError(f"{path}: not a district lookup (no LTLAyyCD column)")
            district, upper, upper_name = (c.format(yy=match.group(1)) for c in LOOKUP_COLUMNS)
            if upper not in columns or upper_name not in columns:
                raise BoundaryError(f"{path}: no {upper} and {upper_name} columns beside {district}")
            lookup = {}
            for row in reader:
                code = (row[district] or "").strip()
                if code.startswith("E"):
                    lookup[code] = ((row[upper] or "").strip(), (row[upper_name] or "").strip())
    except FileNotFoundError:
        raise BoundaryError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise BoundaryError(f"{path}: cannot be read ({error})") from None
    empty = sorted(code for code, (upper_code, name) in lookup.items() if not upper_code or not name)
    if empty:
        raise BoundaryError(f"{path}: district {empty[0]} has no upper-tier code or name")
    return lookup, "20" + match.group(1)


def _path_data(geometry, to_units):
    """SVG path data of a (multi)polygon: each ring starts absolute, then relative whole-unit steps."""
    import numpy as np  # noqa: PLC0415

    polygons = list(geometry.geoms) if geometry.geom_type == "MultiPolygon" else [geometry]
    rings = []
    for polygon in sorted(polygons, key=lambda p: -p.area):
        for ring in (polygon.exterior, *polygon.interiors):
            points = np.rint(to_units(np.asarray(ring.coords)[:-1])).astype(int)
            keep = np.ones(len(points), dtype=bool)
            keep[1:] = (np.diff(points, axis=0) != 0).any(axis=1)
            points = points[keep]
            if len(points) < 3:
                continue  # smaller than a unit of the map: nothing to draw
            steps = np.diff(points, axis=0)
            text = f"M{points[0][0]} {points[0][1]}l" + " ".join(f"{dx} {dy}" for dx, dy in steps) + "z"
            rings.append(text.replace(" -", "-"))
    return "".join(rings)


def build(boundaries_path, lookup_path, *, origins=("", "")):
    """The shipped boundaries file's content (a dict) from ONS's district boundaries and lookup.

    Every district of England must be in the lookup, and every upper-tier council of the lookup must
    have a district in the boundaries: files of different years whose codes disagree are an error
    naming the first code that does not match, never a map with a council missing.
    """
    import shapely  # noqa: PLC0415 - the build's own dependency (pip install '.[build]')
    from shapely.geometry import shape  # noqa: PLC0415

    districts, boundaries_year = read_districts(boundaries_path)
    lookup, lookup_year = read_lookup(lookup_path)
    missing = [(code, name) for code, name, _geometry in districts if code not in lookup]
    if missing:
        code, name = missing[0]
        raise BoundaryError(
            f"district {code} ({name or 'no name'}) of the boundaries ({boundaries_year}) is not in the lookup "
            f"({lookup_year}): {len(missing)} district(s) without an upper-tier council"
        )
    drawn = {code for code, _name, _geometry in districts}
    undrawn = sorted(code for code in lookup if code not in drawn)
    if undrawn:
        raise BoundaryError(
            f"district {undrawn[0]} of the lookup ({lookup_year}) has no boundary in the boundaries file "
            f"({boundaries_year}): {len(undrawn)} district(s) missing"
        )

    project = _projector()
    pieces, names = {}, {}
    for code, _name, geometry in districts:
        upper, upper_name = lookup[code]
        polygon = shapely.transform(shape(geometry), project)
        if not polygon.is_valid:
            polygon = shapely.make_valid(polygon)
        pieces.setdefault(upper, []).append(polygon)
        names[upper] = upper_name
    councils = {code: shapely.unary_union(parts) for code, parts in sorted(pieces.items())}

    land = shapely.unary_union(list(councils.values()))
    left, bottom, right, top = land.bounds
    scale = HEIGHT / (top - bottom)
    width = math.ceil((right - left) * scale)

    def to_map(points):
        return (points - [left, top]) * [scale, -scale]

    inset_codes = [code for code in councils if code.startswith(INSET_PREFIX)]
    inset = None
    if inset_codes:
        in_left, in_bottom, in_right, in_top = shapely.unary_union([councils[c] for c in inset_codes]).bounds
        inset_scale = scale * INSET_SCALE
        frame_width = math.ceil((in_right - in_left) * inset_scale) + 2 * INSET_MARGIN
        frame_height = math.ceil((in_top - in_bottom) * inset_scale) + 2 * INSET_MARGIN
        # A corner free of land (the North Sea top right, else where Scotland would be, top left), else
        # beside the map, which widens.
        corners = [(width - frame_width, 0), (0, 0), (width - frame_width, HEIGHT - frame_height)]
        free = [
            (x, y)
            for x, y in corners
            if not shapely.box(left + x / scale, top - (y + frame_height) / scale, left + (x + frame_width) / scale, top - y / scale).intersects(land)
        ]
        if free:
            frame_x, frame_y = free[0]
        else:
            frame_x, frame_y = width + INSET_MARGIN, 0
            width = frame_x + frame_width

        def to_inset(points):
            offset = [frame_x + INSET_MARGIN, frame_y + INSET_MARGIN]
            return (points - [in_left, in_top]) * [inset_scale, -inset_scale] + offset

        inset = {
            "label": INSET_LABEL,
            "frame": [frame_x, frame_y, frame_width, frame_height],
            "area": [
                math.floor((in_left - left) * scale),
                math.floor((top - in_top) * scale),
                math.ceil((in_right - in_left) * scale) + 1,
                math.ceil((in_top - in_bottom) * scale) + 1,
            ],
        }

    areas = {}
    for code, geometry in councils.items():
        simple = shapely.simplify(geometry, TOLERANCE_KM, preserve_topology=True)
        area = {"name": names[code], "d": _path_data(simple, to_map)}
        if inset and code in inset_codes:
            finer = shapely.simplify(geometry, INSET_TOLERANCE_KM, preserve_topology=True)
            area["inset_d"] = _path_data(finer, to_inset)
        areas[code] = area

    boundaries_origin, lookup_origin = origins
    source = {
        "boundaries": {
            "publisher": PUBLISHER,
            "title": f"Local Authority Districts ({boundaries_year}) boundaries",
            "year": boundaries_year,
            "licence": LICENCE,
            "notice": OS_NOTICE.format(year=boundaries_year),
            "file": Path(boundaries_path).name,
            "sha256": _sha256(boundaries_path),
            "origin": boundaries_origin,
        },
        "lookup": {
            "publisher": PUBLISHER,
            "title": f"Lower Tier Local Authority to Upper Tier Local Authority ({lookup_year}) lookup",
            "year": lookup_year,
            "licence": LICENCE,
            "file": Path(lookup_path).name,
            "sha256": _sha256(lookup_path),
            "origin": lookup_origin,
        },
        "method": (
            f"England's districts dissolved into their upper-tier councils by the lookup; Lambert conformal "
            f"conic projection (parallels {PARALLELS[0]:g} and {PARALLELS[1]:g} N, origin {abs(ORIGIN[0]):g} W "
            f"{ORIGIN[1]:g} N); simplified to {TOLERANCE_KM:g} km ({INSET_TOLERANCE_KM:g} km in the inset); "
            "whole SVG units"
        ),
    }
    return {"source": source, "viewBox": f"0 0 {width} {HEIGHT}", "inset": inset, "areas": areas}


def dumps(data):
    """The file's bytes: the same data always give the same bytes."""
    return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def write(data, path):
    """Write the file whole or not at all: a temporary file beside it, renamed over it once complete."""
    path = Path(path)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as output:
            output.write(dumps(data))
        os.chmod(temporary, 0o644)  # mkstemp's file is private; the shipped file is not
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@functools.cache
def shipped_boundaries():
    """The boundaries that ship with the app (read once per process)."""
    return json.loads(SHIPPED.read_text(encoding="utf-8"))


def with_boundary_code(councils, codes):
    """Annotate councils with boundary_code: the code of their area among `codes`, or None.

    A council's own ONS code, or else a former one (CouncilAlias): ONS gives a council a new code when
    its boundary changes (Barnsley and Sheffield in April 2025), and boundaries drawn before the change
    carry the old one. Part of the councils' query, so it costs no query of its own.
    """
    codes = sorted(codes)
    former = CouncilAlias.objects.filter(
        council=OuterRef("pk"), kind=CouncilAlias.Kind.ONS_CODE, value__in=codes
    ).order_by("value")
    return councils.annotate(
        boundary_code=Case(When(ons_code__in=codes, then=F("ons_code")), default=Subquery(former.values("value")[:1]))
    )
