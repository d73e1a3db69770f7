"""All file I/O of the publish stage: one writer that knows the output folder.

Writes are atomic (a temporary file, then ``os.replace``) so a web server never serves half a page, and
a file whose content is already right is left alone, so publishing twice changes nothing, not even
modification times. Every ``OSError`` becomes a :class:`~paperradio.errors.PublishError`.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ..errors import PublishError

log = logging.getLogger(__name__)


@contextlib.contextmanager
def _as_publish_error(action: str, path: Path) -> Iterator[None]:
    """Turn an ``OSError`` raised inside the block into one clear ``PublishError`` line."""
    try:
        yield
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        raise PublishError(
            f"cannot {action} {path}: {reason}; choose another output folder or fix its permissions"
        ) from exc


class Output:
    """The output folder of one publish run; records every file it writes or confirms."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.paths: list[Path] = []
        self.changed = 0
        self.unchanged = 0

    def prepare(self) -> None:
        """Create the folder and prove it is writable, or raise ``PublishError``."""
        if self.root.exists() and not self.root.is_dir():
            raise PublishError(f"cannot use {self.root} as the output folder: it is a file; choose another one")
        with _as_publish_error("create the output folder", self.root):
            self.root.mkdir(parents=True, exist_ok=True)
        # Permission bits say nothing when running as root or on read-only mounts: try it.
        with (
            _as_publish_error("write to the output folder", self.root),
            tempfile.NamedTemporaryFile(dir=self.root, prefix=".paperradio-probe-"),
        ):
            pass

    def write_text(self, relative: str, text: str) -> Path:
        return self.write_bytes(relative, text.encode("utf-8"))

    def write_bytes(self, relative: str, data: bytes) -> Path:
        path = self._target(relative)
        with _as_publish_error("write", path):
            if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
                return self._record(path, changed=False)
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                os.chmod(tmp, 0o644)
                os.replace(tmp, path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise
        return self._record(path, changed=True)

    def keep(self, relative: str) -> Path:
        """Count a file that is already in place (for example audio whose source was cleaned up)."""
        return self._record(self._target(relative), changed=False)

    def _target(self, relative: str) -> Path:
        path = self.root / relative
        if not path.resolve().is_relative_to(self.root.resolve()):
            raise PublishError(f"refusing to write {relative!r}: it points outside {self.root}")
        return path

    def _record(self, path: Path, *, changed: bool) -> Path:
        if path not in self.paths:
            self.paths.append(path)
            if changed:
                self.changed += 1
            else:
                self.unchanged += 1
        return path
