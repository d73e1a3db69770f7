"""The podcast cover: a 1400x1400 PNG (Apple's minimum) drawn in code, so no binary lives in the repo."""

from __future__ import annotations

import functools
import struct
import zlib

import numpy as np

SIZE = 1400
_BACKGROUND = (0x1F, 0x3A, 0x5F)
_FOREGROUND = (0xF2, 0xB1, 0x34)


def _chunk(tag: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))


@functools.lru_cache(maxsize=4)
def cover_png(size: int = SIZE) -> bytes:
    """A deterministic RGB PNG: radio waves rising from a dot on a dark blue square."""
    y, x = np.mgrid[0:size, 0:size]
    cx, cy = size / 2, size * 0.64
    radius = np.hypot(x - cx, y - cy)
    band = size * 0.075
    waves = ((radius // band) % 2 == 1) & (y < cy) & (radius < size * 0.46) & (radius > size * 0.1)
    image = np.empty((size, size, 3), dtype=np.uint8)
    image[:] = _BACKGROUND
    image[waves | (radius < size * 0.06)] = _FOREGROUND
    rows = np.hstack([np.zeros((size, 1), dtype=np.uint8), image.reshape(size, size * 3)])
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return b"".join((
        b"\x89PNG\r\n\x1a\n",
        _chunk(b"IHDR", header),
        _chunk(b"IDAT", zlib.compress(rows.tobytes(), 9)),
        _chunk(b"IEND", b""),
    ))
