"""Token obtain/refresh (SimpleJWT), one protected list, the OpenAPI schema."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView


class ItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ItemList(APIView):
    @extend_schema(responses=ItemSerializer(many=True), operation_id="items_list")
    def get(self, request: Request) -> Response:
        return Response([{"id": 1, "name": "Lamp"}, {"id": 2, "name": "Desk"}])


urlpatterns = [
    path("api/token/", TokenObtainPairView.as_view(), name="token_obtain_pair"),
    path("api/token/refresh/", TokenRefreshView.as_view(), name="token_refresh"),
    path("api/items/", ItemList.as_view(), name="items"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
]
