"""The writer role: one small interface, and a registry of implementations by name.

The built-in extractive writer is registered as "extractive" by the package; an LLM-backed writer
registers itself the same way and is chosen by name, without changes to the pipeline.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from ..config import Settings
from ..errors import WriteError
from ..models import Pick, Writeup


class Cache(Protocol):
    """Where a writer keeps answers across runs (the store's JSON cache); each put is committed at once."""

    def cache_get(self, namespace: str, key: str) -> Any | None: ...

    def cache_put(self, namespace: str, key: str, value: Any) -> None: ...


class Writer(Protocol):
    """Writes one write-up per pick, in order; one instance serves a whole run. A writer that calls a
    service checkpoints each answer in ``cache`` so that a re-run asks only for what is missing."""

    @property
    def name(self) -> str: ...

    def write(self, picks: Sequence[Pick], settings: Settings, cache: Cache | None = None) -> list[Writeup]: ...


WriterFactory = Callable[[], Writer]

_REGISTRY: dict[str, WriterFactory] = {}


def register_writer(name: str, factory: WriterFactory, *, replace: bool = False) -> None:
    """Make a writer available under ``name``; re-registering a name needs ``replace=True``."""
    if name in _REGISTRY and not replace:
        raise WriteError(f"a writer named {name!r} is already registered; pass replace=True to override it")
    _REGISTRY[name] = factory


def get_writer(name: str) -> Writer:
    """A new instance of the writer registered as ``name``."""
    try:
        factory = _REGISTRY[name]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY)) or "none"
        raise WriteError(f"unknown writer {name!r}; available writers: {known}") from None
    return factory()


def writer_names() -> list[str]:
    """Names of the registered writers, sorted."""
    return sorted(_REGISTRY)
