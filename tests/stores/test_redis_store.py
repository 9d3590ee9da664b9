"""RedisTokenStore against a real redis-server: records, the leased lock, outages, async."""

from __future__ import annotations

import sys
import threading
import time

import anyio
import httpx
import pytest
import redis
import redis.asyncio.retry

from benchmarks.redis_fleet.processes import Node
from generated_sdk.session import Binding as ItemsBinding
from reference_server.testing import Upstream
from sdk_session import SessionAuth, StoreError, StoreLockTimeout, TokenSet, TokenStore
from sdk_session.stores import RedisTokenStore, StoreUnavailable
from sdk_session.stores.redis_clients import build_client, client_options
from sdk_session.stores.redis_topology import Topology, cluster_replicas

TOKENS = TokenSet.issue(
    access_token="ACCESS-SECRET", refresh_token="REFRESH-SECRET", expires_in=60, now=1000.0
)
DEMO = ("demo@example.com", "demo-password")


def test_records_are_atomic_with_generations_increasing_across_stores(
    redis_server: Node, prefix: str
) -> None:
    first, second = (RedisTokenStore(redis_server.url, prefix=prefix) for _ in range(2))
    assert isinstance(first, TokenStore)
    assert first.load() is None
    with first.refresh_lock(5):
        one = first.save(TOKENS)
    with second.refresh_lock(5):
        two = second.save(TOKENS.with_refresh_token("R2"))
    assert one is not None and two is not None and two.generation > one.generation
    assert first.load() == two
    with first.refresh_lock(5):
        assert first.save(None) is None
    assert second.load() is None
    raw = redis.Redis.from_url(redis_server.url)
    assert sorted(raw.keys(f"{{{prefix}}}:*")) == [f"{{{prefix}}}:session".encode()]
    raw.close()


def test_lock_times_out_while_another_process_holds_it(redis_server: Node, prefix: str) -> None:
    holder = RedisTokenStore(redis_server.url, prefix=prefix, lease=0.3)
    waiter = RedisTokenStore(redis_server.url, prefix=prefix)
    with holder.refresh_lock(5):
        started = time.monotonic()
        with (
            pytest.raises(StoreLockTimeout, match=r"not acquired within 0\.5 s"),
            waiter.refresh_lock(0.5),
        ):
            pass
        # the holder renews its 0.3 s lease, so the waiter could not steal it
        assert 0.45 < time.monotonic() - started < 2.0
    with waiter.refresh_lock(1):
        pass


def test_a_dead_holders_lease_expires(redis_server: Node, prefix: str) -> None:
    raw = redis.Redis.from_url(redis_server.url)
    raw.set(f"{{{prefix}}}:lock", "a-holder-that-died", px=400)
    store = RedisTokenStore(redis_server.url, prefix=prefix)
    started = time.monotonic()
    with store.refresh_lock(5):
        waited = time.monotonic() - started
    assert 0.2 < waited < 1.5
    assert raw.get(f"{{{prefix}}}:lock") is None, "released by its holder"
    raw.close()


def test_a_save_never_overwrites_another_holders_session(redis_server: Node, prefix: str) -> None:
    holder = RedisTokenStore(redis_server.url, prefix=prefix)
    late = RedisTokenStore(redis_server.url, prefix=prefix)
    with holder.refresh_lock(5):
        with pytest.raises(StoreError, match="another process holds it"):
            late.save(TOKENS)
        assert holder.save(TOKENS) is not None


def test_errors_and_repr_never_show_tokens_or_passwords(redis_server: Node, prefix: str) -> None:
    store = RedisTokenStore(redis_server.url, prefix=prefix)
    with store.refresh_lock(5):
        store.save(TOKENS)
    raw = redis.Redis.from_url(redis_server.url)
    raw.hset(f"{{{prefix}}}:session", "tokens", '{"access_token": "ACCESS-SECRET"')
    with pytest.raises(StoreError) as corrupt:
        store.load()
    assert "SECRET" not in str(corrupt.value)
    raw.close()
    down = RedisTokenStore("redis://user:PASSWORD@127.0.0.1:1/0", prefix=prefix, socket_timeout=1)
    with pytest.raises(StoreUnavailable) as unavailable:
        down.load()
    text = f"{unavailable.value} {down!r}"
    assert "PASSWORD" not in text and "127.0.0.1:1" in text
    assert unavailable.value.__cause__ is None and unavailable.value.__suppress_context__


def test_missing_redis_package_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "redis", None)
    with pytest.raises(ImportError, match=r"items-sdk\[redis\]"):
        RedisTokenStore("redis://127.0.0.1:1", prefix="x")


def test_redis_unreachable_is_a_typed_error_and_the_session_resumes(
    private_redis: Node, prefix: str, upstream: Upstream
) -> None:
    store = RedisTokenStore(private_redis.url, prefix=prefix, socket_timeout=0.5)
    auth = SessionAuth(upstream.url, store=store, binding=ItemsBinding())
    with httpx.Client(base_url=upstream.url, auth=auth) as client:
        auth.login(client, *DEMO)
        assert client.get("/items").status_code == 200
        private_redis.pause()  # unreachable: connected but silent
        try:
            started = time.monotonic()
            with pytest.raises(StoreUnavailable, match="unavailable while loading"):
                client.get("/items")
            assert time.monotonic() - started < 3.0
        finally:
            private_redis.resume()
        assert client.get("/items").status_code == 200
    assert upstream.control.counters().logins == 1, "resumed the same session"


def test_redis_restarted_mid_run(private_redis: Node, prefix: str, upstream: Upstream) -> None:
    """Restarted without persistence: a typed error while down, one re-login after."""
    store = RedisTokenStore(private_redis.url, prefix=prefix, socket_timeout=0.5)
    auth = SessionAuth(upstream.url, store=store, credentials=lambda: DEMO, binding=ItemsBinding())
    with httpx.Client(base_url=upstream.url, auth=auth) as client:
        assert client.get("/items").status_code == 200  # logs in through the provider
        private_redis.stop()
        with pytest.raises(StoreUnavailable):
            client.get("/items")
        private_redis.start()
        assert client.get("/items").status_code == 200
        assert client.get("/items").status_code == 200
    assert upstream.control.counters().logins == 2


@pytest.mark.anyio
async def test_async_clients_share_one_refresh(
    redis_server: Node, prefix: str, upstream: Upstream
) -> None:
    store = RedisTokenStore(redis_server.url, prefix=prefix)
    upstream.control.configure(access_ttl=0.3)
    auth = SessionAuth(upstream.url, store=store, binding=ItemsBinding())
    async with httpx.AsyncClient(base_url=upstream.url, auth=auth) as client:
        await auth.alogin(client, *DEMO)
        upstream.control.configure(access_ttl=60)
        await anyio.sleep(0.4)
        statuses: list[int] = []

        async def call() -> None:
            statuses.append((await client.get("/items")).status_code)

        async with anyio.create_task_group() as group:
            for _ in range(30):
                group.start_soon(call)
    assert statuses == [200] * 30
    counters = upstream.control.counters()
    assert (counters.refreshes, counters.reuse_detected, counters.unauthorized) == (1, 0, 0)
    await store.aclose()


def test_threads_of_one_process_and_a_second_store_share_one_refresh(
    redis_server: Node, prefix: str, upstream: Upstream
) -> None:
    stores = [RedisTokenStore(redis_server.url, prefix=prefix) for _ in range(2)]
    upstream.control.configure(access_ttl=0.3)
    auths = [SessionAuth(upstream.url, store=store, binding=ItemsBinding()) for store in stores]
    clients = [httpx.Client(base_url=upstream.url, auth=auth) for auth in auths]
    auths[0].login(clients[0], *DEMO)
    upstream.control.configure(access_ttl=60)
    time.sleep(0.4)
    statuses: list[int] = []
    lock = threading.Lock()

    def call(i: int) -> None:
        status = clients[i % 2].get("/items").status_code
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=call, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    for client in clients:
        client.close()
    assert statuses == [200] * 20
    assert upstream.control.counters().refreshes == 1


def test_cluster_replicas_counts_what_the_primary_lists_parsed_or_raw() -> None:
    """A replica whose link is down still counts; one of another primary does not."""
    raw = (
        "aaa 127.0.0.1:7000@17000 myself,master - 0 0 1 connected 0-5460\n"
        "bbb 127.0.0.1:7001@17001 slave aaa 0 0 1 disconnected\n"
        "ccc 127.0.0.1:7002@17002 master - 0 0 2 connected 5461-16383\n"
        "ddd 127.0.0.1:7003@17003 slave ccc 0 0 2 connected\n"
        "eee :0@0 slave,noaddr aaa 0 0 1 disconnected\n"
    )
    parsed = {  # the shape redis-py's CLUSTER NODES callback hands over
        fields[1].split("@")[0]: {"node_id": fields[0], "flags": fields[2], "master_id": fields[3]}
        for fields in (line.split(" ") for line in raw.splitlines())
    }
    for reply in (raw, raw.encode(), parsed):
        assert cluster_replicas(reply) == 1
    replica_view = raw.replace("myself,master", "master").replace("slave ccc", "myself,slave ccc")
    assert cluster_replicas(replica_view) == 0  # asked a replica: it has none of its own
    assert cluster_replicas("") == 0


@pytest.mark.anyio
@pytest.mark.filterwarnings("error")
async def test_async_clients_get_an_asyncio_retry(redis_server: Node, prefix: str) -> None:
    """redis-py 8 warns when an asyncio client is handed a ``redis.retry.Retry`` (and
    converts it, dropping any custom ``call_with_retry``): every warning fails here."""
    store = RedisTokenStore(redis_server.url, prefix=prefix)
    async with store.arefresh_lock(5):
        saved = await store.asave(TOKENS)
    assert saved is not None and await store.aload() == saved
    await store.aclose()
    store.close()
    sentinel = Topology("sentinel", sentinels=(("127.0.0.1", 1),), service_name="primary")
    cluster = Topology("cluster", url=redis_server.url)
    for topology in (sentinel, cluster):  # built without connecting: redis-py converts then
        options = client_options(topology, 1.0, asynchronous=True)
        assert isinstance(options["retry"], redis.asyncio.retry.Retry)
        client = build_client(topology, 1.0, asynchronous=True)
        await client.aclose()
