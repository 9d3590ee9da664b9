"""Token obtain/refresh (SimpleJWT), a paginated protected list and its items, the OpenAPI schema.

``/api/items/`` is DRF's page-number pagination (``count``/``next``/``previous``/
``results``, ``?page=N``) over ``ITEM_COUNT`` fixed rows, so a client has several
pages to walk.
"""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView

ITEM_COUNT, PAGE_SIZE = 45, 10
ITEMS = [
    {"id": n, "name": f"Item {n}", "price": float(n) * 1.5, "tags": ["even" if n % 2 else "odd"]}
    for n in range(1, ITEM_COUNT + 1)
]


class ItemSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=100)
    price = serializers.FloatField()
    tags = serializers.ListField(child=serializers.CharField(), required=False)


class ItemPages(PageNumberPagination):
    page_size = PAGE_SIZE


class ItemList(generics.ListAPIView):
    serializer_class = ItemSerializer
    pagination_class = ItemPages

    def get_queryset(self) -> Any:
        return ITEMS


class ItemDetail(generics.RetrieveAPIView):
    serializer_class = ItemSerializer
    lookup_field = "id"

    def get_object(self) -> Any:
        item_id = self.kwargs["id"]
        for item in ITEMS:
            if item["id"] == item_id:
                return item
        raise NotFound()


urlpatterns = [
    path("api/token/", TokenObtainPairView.as_view(), name="token_obtain_pair"),
    path("api/token/refresh/", TokenRefreshView.as_view(), name="token_refresh"),
    path("api/items/", ItemList.as_view(), name="items"),
    path("api/items/<int:id>/", ItemDetail.as_view(), name="item"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
]
