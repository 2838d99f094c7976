from django.urls import path, re_path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView, SpectacularYAMLAPIView
from rest_framework.routers import DefaultRouter

from . import errors, views

router = DefaultRouter(trailing_slash=True)
router.include_format_suffixes = False
router.register("councils", views.CouncilViewSet, basename="api-council")
router.register("inspections", views.InspectionViewSet, basename="api-inspection")
router.register("judgements", views.JudgementViewSet, basename="api-judgement")
router.register("findings", views.FindingViewSet, basename="api-finding")
router.register("key-figures", views.KeyFigureViewSet, basename="api-key-figure")
router.root_view_name = "api-root"

urlpatterns = [
    # One format per address: stored pages are not negotiated (dashboard/page_cache.py).
    path("schema/", SpectacularYAMLAPIView.as_view(), name="api-schema"),
    path("schema.json", SpectacularJSONAPIView.as_view(), name="api-schema-json"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="dashboard/api_docs.html"),
        name="api-docs",
    ),
    *router.urls,
    re_path(r"^[\s\S]*$", errors.not_found, name="api-not-found"),  # any address, a line break in it too
]
