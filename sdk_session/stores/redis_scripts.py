"""The Redis token store's data layout: its two keys and the Lua scripts that change them.

Every write goes through one of these scripts so that it is atomic on the
server, and both keys carry the same hash tag so a script touches one cluster
slot. The scripts are sent whole with ``EVAL``, so nothing depends on a
server's script cache (which a restart empties).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ACQUIRE", "FIELDS", "RELEASE", "RENEW", "SAVE", "Keys", "text"]

# KEYS: lock, session. ARGV: token, lease ms.
# -1 when another holder has the lock; else the session's generation now (the fence).
ACQUIRE = """
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return -1 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return tonumber(redis.call('HGET', KEYS[2], 'generation') or '0')
"""

# KEYS: lock. ARGV: token, lease ms. 1 when still held and extended.
RENEW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
"""

# KEYS: session, lock. ARGV: token ('' = none), tokens JSON ('' = clear),
# fence generation ('' = none). The new generation; -1 when another holder owns
# the lock, -2 when somebody saved since the fence was taken.
SAVE = """
local holder = redis.call('GET', KEYS[2])
if holder and holder ~= ARGV[1] then return -1 end
if ARGV[3] ~= '' then
  local current = tonumber(redis.call('HGET', KEYS[1], 'generation') or '0')
  if current ~= tonumber(ARGV[3]) then return -2 end
end
local generation = redis.call('HINCRBY', KEYS[1], 'generation', 1)
redis.call('HINCRBY', KEYS[1], 'attempts', 1)
redis.call('HSET', KEYS[1], 'tokens', ARGV[2], 'failure', '')
return generation
"""

# KEYS: lock, session. ARGV: token, failure JSON ('' = none).
# Records the failure (unless another holder took over), then releases.
RELEASE = """
local holder = redis.call('GET', KEYS[1])
if ARGV[2] ~= '' and (not holder or holder == ARGV[1]) then
  redis.call('HINCRBY', KEYS[2], 'attempts', 1)
  redis.call('HSET', KEYS[2], 'failure', ARGV[2])
end
if holder == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""

FIELDS = ("generation", "tokens", "attempts", "failure")
"""The session hash's fields, read together by one ``HMGET``."""


@dataclass(frozen=True, slots=True)
class Keys:
    """``{<prefix>}:session`` and ``{<prefix>}:lock``: one hash tag, so one cluster slot."""

    session: str
    lock: str

    @classmethod
    def of(cls, prefix: str) -> Keys:
        return cls(f"{{{prefix}}}:session", f"{{{prefix}}}:lock")


def text(value: object) -> str:
    """A reply as text: redis-py returns bytes unless ``decode_responses`` was set."""
    if value is None:
        return ""
    if isinstance(value, bytes):
        return value.decode("utf-8")
    return str(value)
