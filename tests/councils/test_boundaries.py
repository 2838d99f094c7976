"""The map's boundaries: the build (districts dissolved into councils) on small made-up files, its refusals,
and the shipped file: small, and a shape for every current council."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from councils import boundaries
from councils.boundaries import SHIPPED, shipped_boundaries, with_boundary_code
from councils.models import Council, CouncilAlias
from tests.factories import CouncilFactory

REFERENCE = Path(__file__).resolve().parents[2] / "fixtures" / "data" / "reference" / "local_authorities.csv"


def square(x, y, size=0.1):
    """A GeoJSON polygon ring: a square of `size` degrees with its south-west corner at (x, y)."""
    return [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]]


# Two districts side by side that make one county, a unitary authority, two London boroughs and a
# Welsh district (left out: England only).
DISTRICTS = {
    "E07000001": ("North District", "Polygon", square(-1.5, 52.0)),
    "E07000002": ("South District", "Polygon", square(-1.4, 52.0)),
    "E06000001": ("Unitary Town", "MultiPolygon", [square(-2.5, 53.0), square(-2.3, 53.0, 0.05)]),
    "E09000001": ("City Borough", "Polygon", square(-0.1, 51.5, 0.05)),
    "E09000002": ("River Borough", "Polygon", square(-0.05, 51.5, 0.05)),
    "W06000001": ("Welsh District", "Polygon", square(-3.5, 52.0)),
}
LOOKUP = [
    ("E07000001", "North District", "E10000001", "Shire"),
    ("E07000002", "South District", "E10000001", "Shire"),
    ("E06000001", "Unitary Town", "E06000001", "Unitary Town"),
    ("E09000001", "City Borough", "E09000001", "City Borough"),
    ("E09000002", "River Borough", "E09000002", "River Borough"),
    ("W06000001", "Welsh District", "W06000001", "Welsh District"),
]


def write_boundaries(path, districts=DISTRICTS):
    features = [
        {
            "type": "Feature",
            "properties": {"LAD23CD": code, "LAD23NM": name},
            "geometry": {"type": kind, "coordinates": coordinates},
        }
        for code, (name, kind, coordinates) in districts.items()
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return path


def write_lookup(path, rows=LOOKUP):
    lines = ["\ufeffLTLA23CD,LTLA23NM,LTLA23NMW,UTLA23CD,UTLA23NM,UTLA23NMW,ObjectId"]
    lines += [f"{a},{b},,{c},{d},,{n}" for n, (a, b, c, d) in enumerate(rows, start=1)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def sources(tmp_path):
    return write_boundaries(tmp_path / "districts.json"), write_lookup(tmp_path / "lookup.csv")


def build_to(output, boundaries_path, lookup_path):
    out = StringIO()
    call_command("build_boundaries", str(boundaries_path), str(lookup_path), "--output", str(output), stdout=out)
    return json.loads(output.read_text(encoding="utf-8")), out.getvalue()


def rings(path_data):
    return path_data.count("M")


def extent(path_data):
    """(width, height) of the first ring of path data written as M x y, then relative steps."""
    start, steps = path_data.split("z")[0].split("l")
    x, y = (int(v) for v in start[1:].split(" "))
    numbers = [int(v) for v in steps.replace("-", " -").split()]
    xs, ys = [x], [y]
    for dx, dy in zip(numbers[::2], numbers[1::2], strict=True):
        xs.append(xs[-1] + dx)
        ys.append(ys[-1] + dy)
    return max(xs) - min(xs), max(ys) - min(ys)


def test_districts_are_dissolved_into_the_councils_of_the_lookup(tmp_path, sources):
    data, out = build_to(tmp_path / "map.json", *sources)
    assert out.strip().startswith("Wrote 4 councils")
    assert sorted(data["areas"]) == ["E06000001", "E09000001", "E09000002", "E10000001"]  # no Welsh district
    shire = data["areas"]["E10000001"]
    assert shire["name"] == "Shire"
    assert rings(shire["d"]) == 1  # two districts side by side: one outline, the border between them gone
    width, height = extent(shire["d"])
    assert 1.1 < width / height < 1.4  # both squares: 0.2 degrees wide at 52 N (0.12) by 0.1 tall
    assert rings(data["areas"]["E06000001"]["d"]) == 2  # a council in two pieces keeps both
    # London's boroughs are drawn again, larger, inside the inset's frame; other councils are not.
    assert "inset_d" not in shire and "inset_d" not in data["areas"]["E06000001"]
    frame_x, frame_y, frame_width, frame_height = data["inset"]["frame"]
    for code in ("E09000001", "E09000002"):
        start = data["areas"][code]["inset_d"].split("l")[0]
        x, y = (int(v) for v in start[1:].split(" "))
        assert frame_x <= x <= frame_x + frame_width and frame_y <= y <= frame_y + frame_height
    width, height = (int(v) for v in data["viewBox"].split()[2:])
    assert height == boundaries.HEIGHT and 0 < width
    source = data["source"]
    assert source["boundaries"]["title"] == "Local Authority Districts (2023) boundaries"
    assert source["boundaries"]["licence"] == "Open Government Licence v3.0"
    assert source["lookup"]["file"] == "lookup.csv" and len(source["lookup"]["sha256"]) == 64


def test_the_same_files_give_the_same_bytes(tmp_path, sources):
    build_to(tmp_path / "one.json", *sources)
    build_to(tmp_path / "two.json", *sources)
    assert (tmp_path / "one.json").read_bytes() == (tmp_path / "two.json").read_bytes()


def test_output_is_whole_numbers_of_the_map(tmp_path, sources):
    data, _out = build_to(tmp_path / "map.json", *sources)
    for area in data["areas"].values():
        assert set(area["d"]) <= set("Mlz0123456789 -")


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("missing", "no such file"),
        ("not_json", "not JSON"),
        ("not_geojson", "not a GeoJSON FeatureCollection"),
        ("no_code", "feature 1 has no district code"),
        ("district_not_in_lookup", "district E07000003 (East District) of the boundaries (2023) is not in the lookup (2023)"),
        ("council_without_boundary", "district E07000002 of the lookup (2023) has no boundary"),
        ("lookup_not_a_lookup", "not a district lookup"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(tmp_path, sources, case, message):
    boundaries_path, lookup_path = sources
    if case == "missing":
        boundaries_path = tmp_path / "nowhere.json"
    elif case == "not_json":
        boundaries_path.write_text("<html>not found</html>")
    elif case == "not_geojson":
        boundaries_path.write_text('{"type": "Feature"}')
    elif case == "no_code":
        boundaries_path.write_text('{"type": "FeatureCollection", "features": [{"properties": {"name": "x"}}]}')
    elif case == "district_not_in_lookup":
        write_boundaries(boundaries_path, {**DISTRICTS, "E07000003": ("East District", "Polygon", square(-1.3, 52.0))})
    elif case == "council_without_boundary":
        write_boundaries(boundaries_path, {k: v for k, v in DISTRICTS.items() if k != "E07000002"})
    elif case == "lookup_not_a_lookup":
        lookup_path.write_text("code,name\nE1,x\n")
    output = tmp_path / "map.json"
    output.write_text("the previous map")
    with pytest.raises(CommandError) as error:
        build_to(output, boundaries_path, lookup_path)
    assert message in str(error.value)
    assert "\n" not in str(error.value)
    assert output.read_text() == "the previous map"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_a_failed_write_leaves_the_previous_file(tmp_path, sources, monkeypatch):
    output = tmp_path / "map.json"
    output.write_text("the previous map")

    def full_disk(data):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(boundaries, "dumps", full_disk)
    with pytest.raises(CommandError, match="cannot be written"):
        build_to(output, *sources)
    assert output.read_text() == "the previous map"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.mark.django_db
def test_a_council_is_found_by_its_code_or_a_former_one():
    own = CouncilFactory(ons_code="E06000001")
    recoded = CouncilFactory(ons_code="E08000038")
    CouncilAlias.objects.create(council=recoded, kind=CouncilAlias.Kind.ONS_CODE, value="E08000016")
    CouncilAlias.objects.create(council=recoded, kind=CouncilAlias.Kind.ONS_CODE, value="E99999999")
    unknown = CouncilFactory(ons_code="E06000099")
    found = dict(with_boundary_code(Council.objects.all(), ["E06000001", "E08000016"]).values_list("pk", "boundary_code"))
    assert found == {own.pk: "E06000001", recoded.pk: "E08000016", unknown.pk: None}


def test_the_shipped_file_is_small_and_says_where_it_comes_from():
    assert SHIPPED.stat().st_size < 300 * 1024
    data = shipped_boundaries()
    assert len(data["areas"]) == 153
    source = data["source"]
    assert source["boundaries"]["publisher"] == source["lookup"]["publisher"] == "Office for National Statistics"
    assert "ofsted-ilacs-scrape-tool/blob/" in source["boundaries"]["origin"]
    assert "CSC_outcomes_and_enablers/blob/" in source["lookup"]["origin"]


@pytest.mark.django_db
def test_every_current_council_of_the_shipped_data_has_a_shape():
    call_command("import_councils", str(REFERENCE), stdout=StringIO(), stderr=StringIO())
    areas = shipped_boundaries()["areas"]
    councils = list(with_boundary_code(Council.objects.current(), areas))
    assert len(councils) == 153
    assert [c.name for c in councils if not c.boundary_code] == []
    assert len({c.boundary_code for c in councils}) == 153  # one shape each, none shared
