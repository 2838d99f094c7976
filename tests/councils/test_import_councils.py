"""import_councils: every council of the reference file, its codes, region, type, population,
statistical neighbours, and the former councils with their successors."""

import datetime
import os
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from councils.lookup import normalise_name
from councils.importers.councils_csv import import_local_authorities, parse_aliases
from councils.models import Council, CouncilAlias, Region, StatisticalNeighbour
from tests.factories import CouncilFactory

REFERENCE_CSV = Path(settings.FIXTURES_DIR) / "data" / "reference" / "local_authorities.csv"
HEADER = (
    "urn,la_code,la_code_new,stat_neighbours,stat_neighbours_la_code,stat_neighbours_previous,"
    "local_authority_ons_name,also_known_as,region_code,region_name,domain,ofsted_ilacs_scrape_la_name,"
    "rgn22cd,rgn22nm,ltla23nm,ltla23nmw,utla23nm,country,ons_population_0-25,ons_la_type"
)


@pytest.fixture
def imported(db):
    return import_local_authorities(REFERENCE_CSV)


def test_every_council_with_its_codes(imported):
    assert Council.objects.count() == 157  # 153 current, Cumbria, Northamptonshire, Poole, and Bournemouth
    assert Council.objects.current().count() == 153
    th = Council.objects.get(slug="tower-hamlets")
    assert (th.name, th.ofsted_urn, th.la_code, th.ons_code) == ("Tower Hamlets", "80516", "211", "E09000030")
    assert th.region.name == "London" and th.region.code == "E12000007"
    assert th.la_type == Council.LAType.LONDON_BOROUGH
    assert th.population_0_25 == 113173
    assert Region.objects.count() == 9


def test_changed_ons_codes_are_aliases(imported):
    barnsley = Council.objects.get(slug="barnsley")
    assert barnsley.ons_code == "E08000038"
    assert list(barnsley.aliases.values_list("kind", "value")) == [(CouncilAlias.Kind.ONS_CODE, "E08000016")]
    sheffield = Council.objects.get(slug="sheffield")
    assert sheffield.ons_code == "E08000039"
    assert list(Council.objects.matching("E08000019")) == [sheffield]
    assert list(Council.objects.matching("E08000038")) == [barnsley]
    assert list(Council.objects.matching("370")) == [barnsley]


def test_region_from_its_name_not_the_files_wrong_code(imported):
    # The file gives Buckinghamshire E12000004 (East Midlands) and Gloucestershire E12000003 (Yorkshire).
    assert Council.objects.get(slug="buckinghamshire").region.code == "E12000008"
    assert Council.objects.get(slug="gloucestershire").region.code == "E12000009"
    assert Council.objects.get(slug="medway").region.name == "South East"  # blank short region code
    assert Council.objects.get(slug="cumbria").region.name == "North West"  # "NotKnown"


def test_statistical_neighbours_ranked(imported):
    barnsley = Council.objects.get(slug="barnsley")
    neighbours = neighbours_of(barnsley)
    assert [c.la_code for c in neighbours] == ["372", "384", "357", "371", "332", "894", "840", "390", "807", "394"]
    assert list(barnsley.neighbour_links.values_list("rank", flat=True)) == list(range(1, 11))
    assert all(StatisticalNeighbour.objects.filter(council=c).count() == 10 for c in Council.objects.current())


def test_former_councils_and_successors(imported):
    def successors(slug):
        return set(Council.objects.get(slug=slug).successors.values_list("slug", flat=True))

    assert set(Council.objects.filter(is_current=False).values_list("slug", flat=True)) == {
        "cumbria",
        "northamptonshire",
        "poole",
        "bournemouth",
    }
    assert successors("cumbria") == {"cumberland", "westmorland-and-furness"}
    assert successors("northamptonshire") == {"north-northamptonshire", "west-northamptonshire"}
    assert successors("poole") == successors("bournemouth") == {"bournemouth-christchurch-and-poole"}
    bournemouth = Council.objects.get(slug="bournemouth")
    assert (bournemouth.la_code, bournemouth.ons_code) == ("837", "E06000028")
    assert list(Council.objects.matching("E10000021")) == [Council.objects.get(slug="northamptonshire")]


def test_other_names_are_aliases(imported):
    bcp = Council.objects.get(slug="bournemouth-christchurch-and-poole")
    assert set(bcp.aliases.values_list("value", flat=True)) == {"BCP", "Bournemouth, Christchurch & Poole"}
    assert list(Council.objects.matching("Hull")) == [Council.objects.get(la_code="810")]
    assert list(Council.objects.matching("County Durham")) == [Council.objects.get(la_code="840")]
    # "Bournemouth" is the former council's own name, never an alias of BCP.
    assert list(Council.objects.matching("Bournemouth")) == [Council.objects.get(slug="bournemouth")]


def test_second_run_changes_nothing(imported):
    assert imported.changed
    again = import_local_authorities(REFERENCE_CSV)
    assert not again.changed
    assert again.unchanged["councils"] == 157
    out = StringIO()
    call_command("import_councils", str(REFERENCE_CSV), stdout=out)
    assert "Nothing changed" in out.getvalue()


def test_unknown_neighbour_is_skipped_and_counted(db, tmp_path):
    path = tmp_path / "local_authorities.csv"
    path.write_text(
        HEADER
        + "\n"
        + '80516,211,E09000030,"202, 999, 211",,,Tower Hamlets,,GL,London,,,E12000007,London,Tower Hamlets,,Tower Hamlets,England,113173,London Borough\n'
        + '80450,202,E09000007,"211",,,Camden,,GL,London,,,E12000007,London,Camden,,Camden,England,60000,London Borough\n'
    )
    summary = import_local_authorities(path)
    th = Council.objects.get(slug="tower-hamlets")
    assert [c.slug for c in neighbours_of(th)] == ["camden"]
    assert summary.skipped["statistical neighbour not known (DfE code)"] == 1
    assert summary.skipped["statistical neighbour repeated or the council itself"] == 1
    assert "statistical neighbour not known (DfE code) (e.g. Tower Hamlets: 999)" in str(summary)


def test_council_entered_by_hand_is_not_overwritten(db):
    CouncilFactory(name="London Borough of Tower Hamlets", slug="tower-hamlets", la_code="211", ofsted_urn="80516", ons_code="E09000030", population_0_25=None, region=None, la_type="")
    summary = import_local_authorities(REFERENCE_CSV)
    th = Council.objects.get(la_code="211")
    assert th.name == "London Borough of Tower Hamlets"  # kept
    assert th.population_0_25 == 113173 and th.region.name == "London"  # blanks filled
    assert any("London Borough of Tower Hamlets (entered by hand): name is" in c for c in summary.conflicts)
    again = import_local_authorities(REFERENCE_CSV)
    assert not again.changed and Council.objects.get(la_code="211").name == "London Borough of Tower Hamlets"


def test_admin_edit_after_import_is_kept(imported):
    council = Council.objects.get(slug="barnsley")
    council.name = "Barnsley Metropolitan Borough"
    council.save()  # an edit in the admin: no importer's change reason in the history
    summary = import_local_authorities(REFERENCE_CSV)
    assert Council.objects.get(slug="barnsley").name == "Barnsley Metropolitan Borough"
    assert len(summary.conflicts) == 1


def test_bad_reference_files_are_refused(db, tmp_path):
    path = tmp_path / "local_authorities.csv"
    path.write_text("name,code\nTower Hamlets,211\n")
    with pytest.raises(Exception, match="wrong columns for the reference file of local authorities: no urn"):
        call_command("import_councils", str(path), stdout=open(os.devnull, "w"), stderr=open(os.devnull, "w"))
    assert Council.objects.count() == 0


def test_names_and_alias_lists():
    assert normalise_name("Telford & Wrekin") == normalise_name("Telford and Wrekin")
    assert normalise_name("Bristol, City of") == normalise_name("Bristol")
    assert normalise_name("St. Helens") == normalise_name("St Helens")
    assert normalise_name("Bedford Borough") == normalise_name("Bedford")
    assert normalise_name("Kingston Upon Hull, City of") == normalise_name("Kingston upon Hull")
    assert normalise_name("Kingston upon Thames") != normalise_name("Kingston upon Hull")
    assert parse_aliases("[BCP, Bournemouth, Christchurch & Poole]", "Bournemouth, Christchurch and Poole") == [
        "BCP",
        "Bournemouth, Christchurch & Poole",
    ]
    assert parse_aliases("[Kingston Upon Hull, Hull]", "Kingston Upon Hull, City of") == ["Kingston Upon Hull", "Hull"]


def test_council_type_follows_the_ons_code_not_the_files_type_column(imported):
    def la_type(slug):
        return Council.objects.get(slug=slug).la_type

    # The file calls these three county councils; their E06 codes make them unitary authorities.
    for slug in ("cumberland", "westmorland-and-furness", "north-yorkshire"):
        assert la_type(slug) == Council.LAType.UNITARY_AUTHORITY, slug
    # Former councils: the file gives Northamptonshire and Poole no type at all.
    assert la_type("northamptonshire") == la_type("cumbria") == Council.LAType.COUNTY
    assert la_type("poole") == la_type("bournemouth") == Council.LAType.UNITARY_AUTHORITY
    by_prefix = {"E06": "Unitary Authority", "E08": "Metropolitan District", "E09": "London Borough", "E10": "County"}
    for name, ons_code, kind in Council.objects.values_list("name", "ons_code", "la_type"):
        assert kind == by_prefix[ons_code[:3]], name


def test_former_councils_replaced_on_the_day_their_order_says(imported):
    dorset = "The Bournemouth, Dorset and Poole (Structural Changes) Order 2018"
    northamptonshire = "The Northamptonshire (Structural Changes) Order 2020"
    expected = {
        "bournemouth": (datetime.date(2019, 4, 1), dorset, "2018/648"),
        "poole": (datetime.date(2019, 4, 1), dorset, "2018/648"),
        "northamptonshire": (datetime.date(2021, 4, 1), northamptonshire, "2020/156"),
        "cumbria": (datetime.date(2023, 4, 1), "The Cumbria (Structural Changes) Order 2022", "2022/331"),
    }
    for council in Council.objects.former():
        day, order, number = expected[council.slug]
        assert (council.replaced_on, council.replaced_under) == (day, order)
        assert council.replaced_under_url.startswith(f"https://www.legislation.gov.uk/uksi/{number}/")
    assert not Council.objects.current().filter(replaced_on__isnull=False).exists()


def test_reload_corrects_types_and_fills_replacement_days_of_an_older_database(imported):
    # As an earlier import left them: the file's type column, no replacement days. A bulk update records
    # no history, so the importer still owns these rows.
    Council.objects.filter(slug__in=["cumberland", "north-yorkshire"]).update(la_type=Council.LAType.COUNTY)
    Council.objects.filter(slug="poole").update(la_type="")
    Council.objects.former().update(replaced_on=None, replaced_under="", replaced_under_url="")
    summary = import_local_authorities(REFERENCE_CSV)
    assert not summary.conflicts
    assert Council.objects.get(slug="cumberland").la_type == Council.LAType.UNITARY_AUTHORITY
    assert Council.objects.get(slug="north-yorkshire").la_type == Council.LAType.UNITARY_AUTHORITY
    assert Council.objects.get(slug="poole").la_type == Council.LAType.UNITARY_AUTHORITY
    assert not Council.objects.former().filter(replaced_on__isnull=True).exists()
    assert not import_local_authorities(REFERENCE_CSV).changed


def test_hand_entered_former_council_gets_its_replacement_day_but_keeps_its_type(db):
    CouncilFactory(
        name="Northamptonshire",
        slug="northamptonshire",
        la_code="928",
        ofsted_urn="121939",
        ons_code="E10000021",
        is_current=False,
        la_type=Council.LAType.UNITARY_AUTHORITY,
    )
    summary = import_local_authorities(REFERENCE_CSV)
    council = Council.objects.get(la_code="928")
    assert council.replaced_on == datetime.date(2021, 4, 1)  # a blank, filled
    assert council.la_type == Council.LAType.UNITARY_AUTHORITY  # entered by hand, kept and reported
    assert any(
        c.startswith("Northamptonshire (entered by hand)") and "la_type is 'Unitary Authority' in the database" in c
        for c in summary.conflicts
    )


def neighbours_of(council):
    return [link.neighbour for link in council.neighbour_links.select_related("neighbour").order_by("rank")]
