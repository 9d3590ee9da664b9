"""In-memory users and items, with the deterministic demo seed.

Everything lives in plain dicts mutated only from the server's event loop, so no
locks are needed. ``Store.reset`` restores the exact seed, which is what makes
tests that share one server independent of each other.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Literal

DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "demo-password"
OTHER_EMAIL = "other@example.com"
OTHER_PASSWORD = "other-password"

DEMO_ITEM_COUNT = 40
OTHER_ITEM_COUNT = 5

ItemStatus = Literal["draft", "active", "archived"]
ITEM_STATUSES: tuple[ItemStatus, ...] = ("draft", "active", "archived")

_SEED_EPOCH = datetime(2024, 1, 8, 9, 0, 0, tzinfo=UTC)
_HASH_ITERATIONS = 1_000  # a demo server: cheap enough for load tests, still not plain text


def format_timestamp(moment: datetime) -> str:
    """RFC 3339 in UTC with a ``Z`` suffix, the form every timestamp is served in."""
    text = moment.astimezone(UTC).isoformat(timespec="milliseconds")
    return text.replace("+00:00", "Z")


def _hash_password(password: str, salt: bytes) -> bytes:
    return hashlib.pbkdf2_hmac(
        "sha256", password.encode("utf-8", "surrogatepass"), salt, _HASH_ITERATIONS
    )


@dataclass
class User:
    id: int
    email: str
    name: str
    created_at: datetime
    salt: bytes
    password_hash: bytes

    def check_password(self, password: str) -> bool:
        return hmac.compare_digest(_hash_password(password, self.salt), self.password_hash)

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "email": self.email,
            "name": self.name,
            "created_at": format_timestamp(self.created_at),
        }


@dataclass
class Item:
    id: int
    owner_id: int
    name: str
    description: str | None
    price: int | float
    status: ItemStatus
    tags: list[str]
    created_at: datetime
    updated_at: datetime

    def matches(self, status: ItemStatus | None, q: str | None) -> bool:
        if status is not None and self.status != status:
            return False
        if q:
            needle = q.casefold()
            haystack = (self.name, self.description or "")
            return any(needle in text.casefold() for text in haystack)
        return True


@dataclass
class ItemChanges:
    """Validated fields of a create or update; ``fields`` says which were sent."""

    fields: set[str] = field(default_factory=set)
    name: str = ""
    description: str | None = None
    price: int | float = 0
    status: ItemStatus = "active"
    tags: list[str] = field(default_factory=list)


_ADJECTIVES = (
    "Walnut",
    "Brass",
    "Linen",
    "Ceramic",
    "Oak",
    "Copper",
    "Wool",
    "Slate",
    "Bamboo",
    "Leather",
)
_NOUNS = (
    "desk lamp",
    "notebook",
    "coffee mug",
    "plant pot",
    "bookend",
    "wall clock",
    "cutting board",
    "throw blanket",
)
_DESCRIPTIONS = (
    "Handmade in small batches; every piece is slightly different.",
    "A reissue of our 2019 best seller with sturdier joints.",
    "Ships flat-packed; assembly takes about five minutes.",
    "Limited run. Ask about matching pieces for a set.",
    "Sustainably sourced materials, finished with a food-safe oil.",
)
_TAGS = ("home", "office", "kitchen", "gift", "handmade", "sale", "new")


def _seed_status(n: int) -> ItemStatus:
    if n % 6 == 0:
        return "archived"
    if n % 4 == 0:
        return "draft"
    return "active"


def _seed_item(item_id: int, owner_id: int, n: int) -> Item:
    """The n-th seeded item of an owner: varied but fully deterministic."""
    adjective = _ADJECTIVES[n % len(_ADJECTIVES)]
    noun = _NOUNS[n % len(_NOUNS)]
    description = (
        None if n % 7 == 3 else f"{adjective} {noun}. {_DESCRIPTIONS[n % len(_DESCRIPTIONS)]}"
    )
    price = round(4 + (n * 37) % 190 + ((n * 13) % 100) / 100, 2)
    tags = [_TAGS[(n + k * 3) % len(_TAGS)] for k in range(n % 4)]
    created = _SEED_EPOCH + timedelta(days=item_id, hours=(item_id * 5) % 11)
    updated = created + timedelta(hours=n % 5, minutes=(n * 17) % 60)
    return Item(
        id=item_id,
        owner_id=owner_id,
        name=f"{adjective} {noun}",
        description=description,
        price=price,
        status=_seed_status(n),
        tags=tags,
        created_at=created,
        updated_at=updated,
    )


def _make_user(user_id: int, email: str, name: str, password: str) -> User:
    salt = os.urandom(16)
    return User(
        id=user_id,
        email=email,
        name=name,
        created_at=_SEED_EPOCH - timedelta(days=30 * user_id),
        salt=salt,
        password_hash=_hash_password(password, salt),
    )


class Store:
    """Users and items. Item ids are global; every item belongs to one owner."""

    def __init__(self) -> None:
        self._users_by_email: dict[str, User] = {}
        self._users: dict[int, User] = {}
        self._items: dict[int, Item] = {}
        self._next_id = 1
        self.reset()

    def reset(self) -> None:
        """Restore the seed: two users, 40 items for the demo user, 5 for the other."""
        users = [
            _make_user(1, DEMO_EMAIL, "Demo User", DEMO_PASSWORD),
            _make_user(2, OTHER_EMAIL, "Other User", OTHER_PASSWORD),
        ]
        self._users = {user.id: user for user in users}
        self._users_by_email = {user.email.casefold(): user for user in users}
        items = [_seed_item(n, 1, n) for n in range(1, DEMO_ITEM_COUNT + 1)]
        items += [
            _seed_item(DEMO_ITEM_COUNT + n, 2, n + 100) for n in range(1, OTHER_ITEM_COUNT + 1)
        ]
        self._items = {item.id: item for item in items}
        self._next_id = max(self._items) + 1

    def authenticate(self, email: str, password: str) -> User | None:
        """The user with these credentials; emails compare case-insensitively."""
        user = self._users_by_email.get(email.casefold())
        if user is None or not user.check_password(password):
            return None
        return user

    def user(self, user_id: int) -> User | None:
        return self._users.get(user_id)

    def item_json(self, item: Item) -> dict[str, object]:
        owner = self._users[item.owner_id]
        return {
            "id": item.id,
            "name": item.name,
            "description": item.description,
            "price": item.price,
            "status": item.status,
            "tags": list(item.tags),
            "created_at": format_timestamp(item.created_at),
            "updated_at": format_timestamp(item.updated_at),
            "owner": {"id": owner.id, "name": owner.name},
        }

    def page(
        self,
        owner_id: int,
        *,
        limit: int,
        before_id: int | None = None,
        status: ItemStatus | None = None,
        q: str | None = None,
    ) -> tuple[list[Item], bool]:
        """Up to ``limit`` matching items below ``before_id``, newest first, and
        whether more remain."""
        candidates: Iterable[Item] = (
            item
            for item in self._items.values()
            if item.owner_id == owner_id
            and (before_id is None or item.id < before_id)
            and item.matches(status, q)
        )
        ordered = sorted(candidates, key=lambda item: item.id, reverse=True)
        return ordered[:limit], len(ordered) > limit

    def get_item(self, owner_id: int, item_id: int) -> Item | None:
        """The item if it exists and belongs to ``owner_id`` (otherwise it is "not found")."""
        item = self._items.get(item_id)
        if item is None or item.owner_id != owner_id:
            return None
        return item

    def create_item(self, owner_id: int, changes: ItemChanges, now: datetime) -> Item:
        item = Item(
            id=self._next_id,
            owner_id=owner_id,
            name=changes.name,
            description=changes.description,
            price=changes.price,
            status=changes.status,
            tags=list(changes.tags),
            created_at=now,
            updated_at=now,
        )
        self._next_id += 1
        self._items[item.id] = item
        return item

    def update_item(self, item: Item, changes: ItemChanges, now: datetime) -> Item:
        if "name" in changes.fields:
            item.name = changes.name
        if "description" in changes.fields:
            item.description = changes.description
        if "price" in changes.fields:
            item.price = changes.price
        if "status" in changes.fields:
            item.status = changes.status
        if "tags" in changes.fields:
            item.tags = list(changes.tags)
        item.updated_at = now
        return item

    def delete_item(self, owner_id: int, item_id: int) -> bool:
        if self.get_item(owner_id, item_id) is None:
            return False
        del self._items[item_id]
        return True
