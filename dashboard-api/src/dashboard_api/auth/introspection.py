"""Hydra token introspection with a short in-process cache keyed by a hash of the token."""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict

from stackspin_clients import HydraAdmin
from stackspin_clients.models import IntrospectedToken


def token_key(token: str) -> str:
    """The cache key: the raw token never sits in memory longer than the request."""
    return hashlib.sha256(token.encode()).hexdigest()


class IntrospectionCache:
    def __init__(self, ttl: float, max_size: int) -> None:
        self.ttl = ttl
        self.max_size = max_size
        self._entries: OrderedDict[str, tuple[float, IntrospectedToken]] = OrderedDict()
        self._lock = threading.Lock()

    def introspect(self, hydra: HydraAdmin, token: str) -> IntrospectedToken:
        key = token_key(token)
        now = time.monotonic()
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None and hit[0] > now:
                return hit[1]
        result = hydra.introspect_token(token)
        lifetime = self.ttl
        if result.active and result.exp is not None:
            lifetime = min(lifetime, result.exp - time.time())
        if lifetime > 0:
            with self._lock:
                self._entries[key] = (now + lifetime, result)
                self._entries.move_to_end(key)
                while len(self._entries) > self.max_size:
                    self._entries.popitem(last=False)
        return result

    def forget_subject(self, subject: str) -> None:
        """Drop every answer about `subject`: its next request asks Hydra again."""
        with self._lock:
            stale = [key for key, (_, result) in self._entries.items() if result.sub == subject]
            for key in stale:
                del self._entries[key]
