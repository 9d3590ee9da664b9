"""DOT's endpoints under ``/o/`` and a small protected items API under ``/api/``.

``/o/token/`` (password, client_credentials and refresh_token grants) and ``/o/revoke_token/``
are DOT's own views (``oauth2_provider.urls``). ``/api/items/`` is DRF's page-number pagination
(``count``/``next``/``previous``/``results``, ``?page=N``, ``PAGE_SIZE`` a page) over the seeded
items, ``POST /api/items/`` creates one; reading needs the ``read`` scope, creating ``write``
(DOT's ``TokenHasReadWriteScope``). A token of either grant works: the API does not need a user.
"""

from __future__ import annotations

from typing import Any

from django.urls import include, path
from rest_framework import generics, serializers
from rest_framework.pagination import PageNumberPagination

from .models import Item

PAGE_SIZE = 10


class ItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = Item
        fields = ("id", "name", "price")


class ItemPages(PageNumberPagination):
    page_size = PAGE_SIZE


class ItemList(generics.ListCreateAPIView):
    serializer_class = ItemSerializer
    pagination_class = ItemPages

    def get_queryset(self) -> Any:
        return Item.objects.order_by("id")


class ItemDetail(generics.RetrieveAPIView):
    serializer_class = ItemSerializer
    queryset = Item.objects.all()


urlpatterns = [
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    path("api/items/", ItemList.as_view(), name="items"),
    path("api/items/<int:pk>/", ItemDetail.as_view(), name="item"),
]
