"""The API's items, and the counters, in the database so that every gunicorn worker shares them."""

from __future__ import annotations

from django.db import models


class Item(models.Model):
    name = models.CharField(max_length=100)
    price = models.FloatField()


class Count(models.Model):
    """One counter (see counters.py for the keys)."""

    key = models.CharField(max_length=200, primary_key=True)
    value = models.BigIntegerField(default=0)


class PresentedRefreshToken(models.Model):
    """How many times each refresh token value came in a refresh_token grant request."""

    token = models.CharField(max_length=255, primary_key=True)
    times = models.BigIntegerField(default=0)
