import datetime

from django.db import models
from django.db.models import Case, OuterRef, Q, Subquery, Value, When
from django.urls import reverse
from simple_history.models import HistoricalRecords


class RegionManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class Region(models.Model):
    """An English region (ONS), the unit Ofsted and DfE publish comparisons by."""

    code = models.CharField("ONS region code", max_length=9, unique=True)
    name = models.CharField(max_length=100, unique=True)

    objects = RegionManager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code,)


def in_comparison_group(one):
    """Rows of the comparison group of the council `one` (a queryset of it) holds: the council itself, the
    councils of its region and its statistical neighbours."""
    return (
        Q(pk__in=one.values("pk"))
        | Q(region__in=one.exclude(region=None).values("region"))
        | Q(pk__in=StatisticalNeighbour.objects.filter(council__in=one).order_by().values("neighbour"))
    )


class CouncilQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)

    def current(self):
        return self.filter(is_current=True)

    def former(self):
        return self.filter(is_current=False)

    def comparison_group(self, council):
        """The council, the other councils of its region and its statistical neighbours.

        Each row is annotated with neighbour_rank (DfE's order of closeness, None if not a
        neighbour) and in_region.
        """
        neighbour_links = StatisticalNeighbour.objects.filter(council=council, neighbour=OuterRef("pk")).order_by()
        in_region = Q(region_id=council.region_id) if council.region_id else Q(pk__in=[])
        return self.filter(in_comparison_group(Council.objects.filter(pk=council.pk))).annotate(
            neighbour_rank=Subquery(neighbour_links.values("rank")[:1]),
            in_region=Case(When(in_region, then=Value(True)), default=Value(False), output_field=models.BooleanField()),
        )

    def shown_with(self, slug):
        """The councils a council's page shows beside it: its comparison group, and the councils it names as
        its successors or predecessors (one query, for the page cache's versions)."""
        one = Council.objects.filter(slug=slug)
        successions = Council.successors.through.objects
        return self.filter(
            in_comparison_group(one)
            | Q(pk__in=successions.filter(from_council__in=one).values("to_council"))
            | Q(pk__in=successions.filter(to_council__in=one).values("from_council"))
        )

    def matching(self, value):
        """Councils known by this code or name, current or former.

        Codes are attributes, not identities (ONS codes change and Ofsted's files lag behind), so a
        value is looked up in every code column and in the aliases.
        """
        value = (value or "").strip()
        if not value:
            return self.none()
        return self.filter(
            Q(ofsted_urn=value)
            | Q(la_code=value)
            | Q(ons_code__iexact=value)
            | Q(name__iexact=value)
            | Q(slug=value.lower())
            | Q(aliases__value__iexact=value)
        ).distinct()


class Council(models.Model):
    """An upper-tier English local authority whose children's services Ofsted inspects."""

    class LAType(models.TextChoices):
        LONDON_BOROUGH = "London Borough", "London borough"
        METROPOLITAN_DISTRICT = "Metropolitan District", "Metropolitan district"
        UNITARY_AUTHORITY = "Unitary Authority", "Unitary authority"
        COUNTY = "County", "County council"

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    ofsted_urn = models.CharField("Ofsted URN", max_length=10, unique=True, null=True, blank=True)
    la_code = models.CharField(
        "DfE LA code", max_length=3, unique=True, null=True, blank=True, help_text="Three digits, e.g. 211."
    )
    ons_code = models.CharField("ONS code", max_length=9, null=True, blank=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="councils", null=True, blank=True)
    la_type = models.CharField("LA type", max_length=30, choices=LAType.choices, blank=True)
    population_0_25 = models.PositiveIntegerField("population aged 0-25", null=True, blank=True)
    is_current = models.BooleanField(
        "still exists", default=True, help_text="Untick for a council that has been abolished or merged."
    )
    successors = models.ManyToManyField(
        "self",
        symmetrical=False,
        related_name="predecessors",
        blank=True,
        help_text="For a former council: the councils that took over its children's services.",
    )
    replaced_on = models.DateField(
        null=True,
        blank=True,
        help_text="For a former council: the day its successors took over its children's services.",
    )
    replaced_under = models.CharField(
        max_length=200,
        blank=True,
        help_text="For a former council: the legislation that replaced it, "
        "e.g. The Northamptonshire (Structural Changes) Order 2020.",
    )
    replaced_under_url = models.URLField("link to that legislation", blank=True)
    statistical_neighbours = models.ManyToManyField(
        "self", through="StatisticalNeighbour", symmetrical=False, related_name="+", blank=True
    )

    history = HistoricalRecords(excluded_fields=["successors"])
    objects = CouncilQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        # The council list's order: a page of it reads one stretch of the index and works out latest
        # grades for those councils only.
        indexes = [models.Index(fields=["name", "id"], name="council_name_order")]
        constraints = [
            models.CheckConstraint(
                condition=Q(la_code__isnull=True) | Q(la_code__regex=r"^[0-9]{3}$"),
                name="council_la_code_three_digits",
                violation_error_message="The DfE LA code is three digits.",
            ),
            models.UniqueConstraint(
                fields=["ons_code"],
                condition=Q(is_current=True),
                name="council_unique_current_ons_code",
                violation_error_message="Another current council has this ONS code.",
            ),
            models.CheckConstraint(
                condition=Q(is_current=False) | Q(replaced_on__isnull=True),
                name="council_replaced_only_if_former",
                violation_error_message="Only a council that no longer exists has a date it was replaced.",
            ),
        ]

    def __str__(self):
        return self.name if self.is_current else f"{self.name} (former)"

    def natural_key(self):
        return (self.slug,)

    natural_key.dependencies = ["councils.region"]

    def get_absolute_url(self):
        return reverse("council-detail", args=[self.slug])

    @property
    def ofsted_url(self):
        """Ofsted's page for the council's children's services, listing its reports.

        Ofsted's reports site files local authorities' children's services under provider category 44.
        Its own search results link a council by its URN (https://reports.ofsted.gov.uk/provider/44/80429
        is Birmingham's, URN 80429, as public scrapers of the site record it); Ofsted's official
        statistics (fixtures/data/ofsted/LA_Inspection_Outcomes_as_at_31_March_2025.ods, "Ofsted Local
        Authority Webpage") link the same pages by DfE LA code (.../provider/44/211 for Tower Hamlets).
        The URN is used, the LA code where there is none.
        """
        code = self.ofsted_urn or self.la_code
        return f"https://reports.ofsted.gov.uk/provider/44/{code}" if code else ""

    def takeovers(self):
        """The councils this one took children's services over from, grouped by the day it did.

        Each item has the day (None where not recorded), the former councils, and the legislation that
        replaced them as (title, link) pairs. Uses the prefetched predecessors where there are any.
        """
        groups = {}
        for predecessor in sorted(self.predecessors.all(), key=lambda c: (c.replaced_on or datetime.date.max, c.name)):
            day = predecessor.replaced_on
            group = groups.setdefault(day, {"date": day, "councils": [], "legislation": []})
            group["councils"].append(predecessor)
            law = (predecessor.replaced_under, predecessor.replaced_under_url)
            if predecessor.replaced_under and law not in group["legislation"]:
                group["legislation"].append(law)
        return list(groups.values())


class CouncilAlias(models.Model):
    """Another name or code a council is known by in official files (a former ONS code, an abbreviation)."""

    class Kind(models.TextChoices):
        NAME = "name", "Name"
        ONS_CODE = "ons_code", "Former ONS code"
        LA_CODE = "la_code", "Former DfE LA code"
        OFSTED_URN = "ofsted_urn", "Former Ofsted URN"

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="aliases")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    value = models.CharField(max_length=100)

    class Meta:
        verbose_name_plural = "council aliases"
        ordering = ["council", "kind", "value"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "value"], name="council_alias_unique_value"),
        ]

    def __str__(self):
        return f"{self.value} ({self.get_kind_display()})"


class StatisticalNeighbour(models.Model):
    """One of a council's ten statistical neighbours (DfE), in DfE's order of closeness."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="neighbour_links")
    neighbour = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField(help_text="1 is the closest.")

    class Meta:
        ordering = ["council", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["council", "neighbour"], name="neighbour_unique_pair"),
            models.UniqueConstraint(fields=["council", "rank"], name="neighbour_unique_rank"),
            models.CheckConstraint(condition=~Q(council=models.F("neighbour")), name="neighbour_not_self"),
        ]

    def __str__(self):
        return f"{self.council} ~ {self.neighbour} (#{self.rank})"
