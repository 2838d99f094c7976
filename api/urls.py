from django.urls import path, re_path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView, SpectacularYAMLAPIView
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.routers import APIRootView, DefaultRouter

from . import errors, views


class DocumentedRoot(APIRootView):
    """/api/: each list's address, then where the API is described (its documentation page and schema)."""

    def get(self, request, *args, **kwargs):
        lists = super().get(request, *args, **kwargs).data
        described = {name: reverse(f"api-{name}", request=request) for name in ("docs", "schema", "schema-json")}
        return Response({**lists, **described})


class DocumentedRouter(DefaultRouter):
    APIRootView = DocumentedRoot


router = DocumentedRouter(trailing_slash=True)
router.include_format_suffixes = False
router.register("councils", views.CouncilViewSet, basename="api-council")
router.register("inspections", views.InspectionViewSet, basename="api-inspection")
router.register("judgements", views.JudgementViewSet, basename="api-judgement")
router.register("findings", views.FindingViewSet, basename="api-finding")
router.register("key-figures", views.KeyFigureViewSet, basename="api-key-figure")
router.root_view_name = "api-root"

urlpatterns = [
    # One format per address: stored pages are not negotiated (inspection_tracker/page_cache.py).
    path("schema/", SpectacularYAMLAPIView.as_view(), name="api-schema"),
    path("schema.json", SpectacularJSONAPIView.as_view(), name="api-schema-json"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api/docs.html"),
        name="api-docs",
    ),
    *router.urls,
    re_path(r"^[\s\S]*$", errors.not_found, name="api-not-found"),  # any address, a line break in it too
]
