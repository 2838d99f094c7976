from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from .models import Council, CouncilAlias, Region, StatisticalNeighbour


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


class CouncilAliasInline(admin.TabularInline):
    model = CouncilAlias
    extra = 0


class StatisticalNeighbourInline(admin.TabularInline):
    model = StatisticalNeighbour
    fk_name = "council"
    extra = 0
    autocomplete_fields = ["neighbour"]


@admin.register(Council)
class CouncilAdmin(SimpleHistoryAdmin):
    list_display = ["name", "la_code", "ons_code", "ofsted_urn", "region", "la_type", "is_current"]
    list_filter = ["region", "la_type", "is_current"]
    search_fields = ["name", "slug", "la_code", "ons_code", "ofsted_urn", "aliases__value"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["successors"]
    inlines = [CouncilAliasInline, StatisticalNeighbourInline]
    # A link to legislation typed without its scheme is https (Django 6's default, asked for now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(CouncilAlias)
class CouncilAliasAdmin(admin.ModelAdmin):
    list_display = ["value", "kind", "council"]
    list_filter = ["kind"]
    search_fields = ["value", "council__name"]
    autocomplete_fields = ["council"]


@admin.register(StatisticalNeighbour)
class StatisticalNeighbourAdmin(admin.ModelAdmin):
    list_display = ["council", "rank", "neighbour"]
    search_fields = ["council__name", "neighbour__name"]
    autocomplete_fields = ["council", "neighbour"]
