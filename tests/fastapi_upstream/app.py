"""A login-only API modelled on the auth of FastAPI's full-stack template (backend/app/api).

As in the template: ``OAuth2PasswordBearer(tokenUrl=f"{API_V1_STR}/login/access-token")``; the
login takes ``OAuth2PasswordRequestForm`` (form body: username, password, optional grant_type,
scope, client_id, client_secret), refuses with 400 ``{"detail": "Incorrect email or
password"}`` and answers ``{"access_token": ..., "token_type": "bearer"}`` (no refresh token, no
``expires_in``); tokens are HS256 JWTs from pyjwt with ``exp`` and ``sub`` (the user's id). A
request without a bearer token gets FastAPI's own 401 ``{"detail": "Not authenticated"}``.

One departure, switchable: the template answers an invalid or expired token with **403**
``{"detail": "Could not validate credentials"}``; this app answers 401 (with
``WWW-Authenticate: Bearer``, as FastAPI's security tutorial does) unless
``FASTAPI_UPSTREAM_INVALID_TOKEN_STATUS=403``.

The environment, read at import:

- ``FASTAPI_UPSTREAM_ACCESS_TOKEN_EXPIRE_SECONDS``: the tokens' lifetime (default 60)
- ``FASTAPI_UPSTREAM_INVALID_TOKEN_STATUS``: 401 (default) or 403 (the template's)

Outside the API and the schema, without authentication: ``GET /_counters`` answers
``{"counts": {key: n}}`` with keys ``login|<status>`` (requests to the login),
``api|<status>`` (every other request under ``/api/v1``) and ``path|<METHOD> <path>|<status>``;
``POST /_counters/reset`` zeroes them; ``POST /_control/reset`` also drops the items created and
restores the signing key; ``POST /_control/rotate-key`` changes the signing key, so every token
issued so far is refused.
"""

from __future__ import annotations

import os
import secrets
import threading
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

import jwt
from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request, Response, status
from fastapi.routing import APIRoute
from fastapi.security import OAuth2PasswordBearer, OAuth2PasswordRequestForm
from jwt.exceptions import InvalidTokenError
from pydantic import BaseModel, ValidationError

from .config import API_V1_STR, LOGIN_PATH, USER_EMAIL, USER_ID, USER_PASSWORD

ALGORITHM = "HS256"
ACCESS_TOKEN_EXPIRE_SECONDS = int(
    os.environ.get("FASTAPI_UPSTREAM_ACCESS_TOKEN_EXPIRE_SECONDS", "60")
)
INVALID_TOKEN_STATUS = int(os.environ.get("FASTAPI_UPSTREAM_INVALID_TOKEN_STATUS", "401"))
STARTUP_KEY = "fastapi-upstream-test-only-key-not-a-secret-0123456789"

SEED_ITEMS = 5


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"


class TokenPayload(BaseModel):
    sub: str | None = None


class UserPublic(BaseModel):
    email: str
    is_active: bool = True
    is_superuser: bool = False
    full_name: str | None = None
    id: uuid.UUID


class ItemCreate(BaseModel):
    title: str
    description: str | None = None


class ItemPublic(ItemCreate):
    id: uuid.UUID
    owner_id: uuid.UUID


class ItemsPublic(BaseModel):
    data: list[ItemPublic]
    count: int


class _State:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.counts: Counter[str] = Counter()
        self.key = STARTUP_KEY
        self.items: list[ItemPublic] = []
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.counts.clear()
            self.key = STARTUP_KEY
            self.items = [
                ItemPublic(
                    id=uuid.UUID(int=n), owner_id=USER_ID, title=f"Item {n}", description=None
                )
                for n in range(1, SEED_ITEMS + 1)
            ]


STATE = _State()
USER = UserPublic(email=USER_EMAIL, full_name="Admin", is_superuser=True, id=USER_ID)

reusable_oauth2 = OAuth2PasswordBearer(tokenUrl=LOGIN_PATH)
TokenDep = Annotated[str, Depends(reusable_oauth2)]


def create_access_token(subject: str, expires_delta: timedelta) -> str:
    expire = datetime.now(UTC) + expires_delta
    return jwt.encode({"exp": expire, "sub": subject}, STATE.key, algorithm=ALGORITHM)


def get_current_user(token: TokenDep) -> UserPublic:
    try:
        payload = jwt.decode(token, STATE.key, algorithms=[ALGORITHM])
        token_data = TokenPayload(**payload)
    except (InvalidTokenError, ValidationError):
        headers = {"WWW-Authenticate": "Bearer"} if INVALID_TOKEN_STATUS == 401 else None
        raise HTTPException(
            status_code=INVALID_TOKEN_STATUS,
            detail="Could not validate credentials",
            headers=headers,
        ) from None
    if token_data.sub != str(USER.id):
        raise HTTPException(status_code=404, detail="User not found")
    return USER


CurrentUser = Annotated[UserPublic, Depends(get_current_user)]

login_router = APIRouter(tags=["login"])
users_router = APIRouter(prefix="/users", tags=["users"])
items_router = APIRouter(prefix="/items", tags=["items"])


@login_router.post("/login/access-token")
def login_access_token(form_data: Annotated[OAuth2PasswordRequestForm, Depends()]) -> Token:
    """OAuth2 compatible token login, get an access token for future requests"""
    known = secrets.compare_digest(form_data.username, USER_EMAIL)
    if not (known and secrets.compare_digest(form_data.password, USER_PASSWORD)):
        raise HTTPException(status_code=400, detail="Incorrect email or password")
    expires = timedelta(seconds=ACCESS_TOKEN_EXPIRE_SECONDS)
    return Token(access_token=create_access_token(str(USER.id), expires_delta=expires))


@users_router.get("/me", response_model=UserPublic)
def read_user_me(current_user: CurrentUser) -> Any:
    """Get current user."""
    return current_user


@items_router.get("/", response_model=ItemsPublic)
def read_items(current_user: CurrentUser, skip: int = 0, limit: int = 100) -> Any:
    """Retrieve items."""
    with STATE.lock:
        items = [item for item in STATE.items if item.owner_id == current_user.id]
    return ItemsPublic(data=items[skip : skip + limit], count=len(items))


@items_router.post("/", response_model=ItemPublic)
def create_item(current_user: CurrentUser, item_in: ItemCreate) -> Any:
    """Create new item."""
    item = ItemPublic(**item_in.model_dump(), id=uuid.uuid4(), owner_id=current_user.id)
    with STATE.lock:
        STATE.items.append(item)
    return item


api_router = APIRouter()
api_router.include_router(login_router)
api_router.include_router(users_router)
api_router.include_router(items_router)


def custom_generate_unique_id(route: APIRoute) -> str:
    """The template's operation ids: ``<tag>-<function>``, e.g. ``items-read_items``."""
    return f"{route.tags[0]}-{route.name}"


app = FastAPI(
    title="FastAPI upstream (tests)",
    openapi_url=f"{API_V1_STR}/openapi.json",
    generate_unique_id_function=custom_generate_unique_id,
)
app.include_router(api_router, prefix=API_V1_STR)


@app.middleware("http")
async def count(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    response = await call_next(request)
    path = request.url.path
    if path.startswith(("/_counters", "/_control")):
        return response
    keys = [f"path|{request.method} {path}|{response.status_code}"]
    if path == LOGIN_PATH:
        keys.append(f"login|{response.status_code}")
    elif path.startswith(f"{API_V1_STR}/") and path != app.openapi_url:
        keys.append(f"api|{response.status_code}")
    with STATE.lock:
        STATE.counts.update(keys)
    return response


@app.get("/_counters", include_in_schema=False, tags=["control"])
def read_counters() -> dict[str, dict[str, int]]:
    with STATE.lock:
        return {"counts": dict(STATE.counts)}


@app.post(
    "/_counters/reset",
    include_in_schema=False,
    tags=["control"],
    status_code=status.HTTP_204_NO_CONTENT,
)
def reset_counters() -> None:
    with STATE.lock:
        STATE.counts.clear()


@app.post(
    "/_control/reset",
    include_in_schema=False,
    tags=["control"],
    status_code=status.HTTP_204_NO_CONTENT,
)
def reset() -> None:
    STATE.reset()


@app.post(
    "/_control/rotate-key",
    include_in_schema=False,
    tags=["control"],
    status_code=status.HTTP_204_NO_CONTENT,
)
def rotate_key() -> None:
    with STATE.lock:
        STATE.key = secrets.token_urlsafe(32)
