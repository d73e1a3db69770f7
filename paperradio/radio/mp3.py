"""MP3 streams as whole frames: encode a clip, read its frames, make silent frames, and join clips.

MPEG audio frames stand alone once a stream's first frame starts with an empty bit reservoir (LAME's
always does), so streams encoded separately with the same sample rate, mode and bitrate join into one
valid file by concatenating their bytes. That lets an episode be built from cached, already encoded lines
without encoding it again. The encoder's tag frame ("Info", with the stream's length and gapless delays) is
dropped from each clip, as it would describe only that clip; without it a decoder plays every frame, so a
joined file lasts exactly ``frames * samples_per_frame`` samples and every clip starts on a frame boundary.
Constant bitrate keeps a tag-less file seekable and its duration known to every player.
"""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import soundfile as sf

from ..errors import RadioError

__all__ = ["CBR_LEVEL", "Clip", "decode", "encode", "silent_frames"]

CBR_LEVEL = 0.5
"""libsndfile's compression level for constant-bitrate MP3: 80 kbit/s at 22.05 or 24 kHz, 160 kbit/s at
44.1 or 48 kHz (mono speech sounds clean at both)."""

_CBR_SCALE = 0.95
"""libsndfile's constant-bitrate LAME setup scales the input by this (-0.45 dB); :func:`encode` undoes it."""
_DECODER_DELAY = 529
"""Samples every layer III decoder outputs before the encoder's own delay (the LAME tag counts from it)."""
_BITRATES = {1: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
             2: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160)}
_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}


@dataclass(frozen=True)
class _Frame:
    offset: int
    size: int
    samples: int
    side_info: int
    """Bytes of side information after the header (and its CRC, if any)."""


def _frame_at(data: bytes, offset: int) -> _Frame:
    if offset + 4 > len(data):
        raise RadioError(f"MP3 stream ends inside a frame header at byte {offset}")
    header = struct.unpack(">I", data[offset: offset + 4])[0]
    version, layer = (header >> 19) & 3, (header >> 17) & 3
    bitrate_index, rate_index = (header >> 12) & 15, (header >> 10) & 3
    if header >> 21 != 0x7FF or version == 1 or layer != 1 or bitrate_index in (0, 15) or rate_index == 3:
        raise RadioError(f"no MPEG layer III frame at byte {offset} of an MP3 stream")
    mpeg1 = version == 3
    bitrate = _BITRATES[1 if mpeg1 else 2][bitrate_index] * 1000
    rate = _RATES[version][rate_index]
    padding = (header >> 9) & 1
    size = (144 if mpeg1 else 72) * bitrate // rate + padding
    mono = (header >> 6) & 3 == 3
    side_info = (17 if mono else 32) if mpeg1 else (9 if mono else 17)
    crc = 0 if (header >> 16) & 1 else 2
    return _Frame(offset, size, 1152 if mpeg1 else 576, crc + side_info)


def _frames(data: bytes) -> list[_Frame]:
    frames: list[_Frame] = []
    offset = 0
    while offset < len(data):
        frame = _frame_at(data, offset)
        frames.append(frame)
        offset += frame.size
    return frames


def _tag_delay(data: bytes, frame: _Frame) -> int | None:
    """The encoder delay (samples) in a LAME "Info"/"Xing" tag frame, or None if ``frame`` is audio."""
    start = frame.offset + 4 + frame.side_info
    if data[start: start + 4] not in (b"Info", b"Xing"):
        return None
    flags = struct.unpack(">I", data[start + 4: start + 8])[0]
    # optional fields: frame count, byte count, a 100-byte seek table, a quality indicator
    extension = start + 8 + 4 * (flags & 1) + 4 * ((flags >> 1) & 1) + 100 * ((flags >> 2) & 1) + 4 * ((flags >> 3) & 1)
    delays = data[extension + 21: extension + 24]  # 12 bits of delay, 12 bits of padding
    if len(delays) < 3 or not data[extension: extension + 4].isalpha():
        return 0
    return (delays[0] << 4) | (delays[1] >> 4)


@dataclass(frozen=True)
class Clip:
    """One encoded clip: whole audio frames and where its sound sits in them once decoded."""

    data: bytes
    frames: int
    samples_per_frame: int
    lead: int
    """Decoded samples before the clip's first input sample."""
    tail: int
    """Decoded samples after its last input sample."""

    @property
    def samples(self) -> int:
        return self.frames * self.samples_per_frame


def encode(samples: npt.NDArray[np.float32], rate: int) -> Clip:
    """Encode mono samples as constant-bitrate MP3 frames without the encoder's tag frame."""
    buffer = io.BytesIO()
    sf.write(buffer, samples / np.float32(_CBR_SCALE), rate, format="MP3", bitrate_mode="CONSTANT",
             compression_level=CBR_LEVEL)
    data = buffer.getvalue()
    frames = _frames(data)
    delay = _tag_delay(data, frames[0]) if frames else None
    if delay is not None:
        data, frames = data[frames[0].size:], frames[1:]
    if not frames:
        raise RadioError("the MP3 encoder wrote no audio frames")
    per_frame = frames[0].samples
    lead = delay + _DECODER_DELAY if delay is not None else 0
    total = len(frames) * per_frame
    return Clip(data, len(frames), per_frame, min(lead, total), max(0, total - lead - samples.size))


def decode(data: bytes) -> npt.NDArray[np.float32]:
    """Every sample of an MP3 stream (mono), as a player would play it."""
    decoded, _rate = sf.read(io.BytesIO(data), dtype="float32", always_2d=True)
    return np.ascontiguousarray(decoded.mean(axis=1), dtype=np.float32)


def silent_frames(like: bytes, count: int) -> bytes:
    """``count`` frames of digital silence in the format of the stream ``like`` (same header fields): no
    main data, so each frame stands alone and decodes to zeros."""
    if count <= 0:
        return b""
    _frame_at(like, 0)  # checks ``like`` starts with a layer III frame
    # no CRC and no padding slot: the frame is its header, then zeroed side information and filler
    header = struct.pack(">I", (struct.unpack(">I", like[:4])[0] | (1 << 16)) & ~(1 << 9))
    return (header + bytes(_frame_at(header, 0).size - 4)) * count
