"""Read legacy Word (.doc) and WPS (.wps) bulletins by converting them to DOCX.

Why convert rather than parse: the binary Word format is large and poorly
documented, and LibreOffice already reads it (and WPS files) well. The
converted DOCX goes through ``parsers.docx_reader`` so both formats share one
set of table rules; the document keeps ``format = "doc"`` and a note says it
was converted.

Every OLE file reaches this reader (``parsers.detect`` sends the OLE magic
here), including password-protected Office 2007+ documents, which are OLE
containers with an ``EncryptedPackage`` stream, and .doc files with Word's
own encryption flag (FIB ``fEncrypted``). Both are refused as Encrypted
before any conversion: LibreOffice would stop at a password prompt. The OLE
directory is read by the small parser below (no extra dependency).

Conversion runs ``soffice --headless --convert-to docx`` on a copy of the
bytes in a temporary folder, with a private LibreOffice profile (so parallel
conversions do not fight over one profile lock) and
``limits.conversion_timeout_s`` (ParseTimeout; the whole process group is
killed). Without ``soffice``/``libreoffice`` on PATH: ConversionUnavailable.
"""

from __future__ import annotations

import os
import shutil
import signal
import struct
import subprocess
import tempfile
from pathlib import Path

from .detect import OLE_MAGIC
from .docx_reader import read_docx
from .errors import ConversionUnavailable, Corrupt, Encrypted, ParseTimeout
from .limits import Limits
from .model import Document

_FREE, _END_OF_CHAIN = 0xFFFFFFFF, 0xFFFFFFFE
_MAX_SECTORS = 1 << 22  # bounds the DIFAT walk on a damaged file


def read_legacy_word(data: bytes, source: str, sha256: str, limits: Limits = Limits()) -> Document:
    """Given an OLE file's bytes (.doc, .wps, or an encrypted DOCX), return
    its document model via LibreOffice; raise Encrypted for password files."""
    refuse_encrypted(data, source)
    converter = find_converter()
    if converter is None:
        raise ConversionUnavailable(
            f"{source} is a legacy Word/WPS file (.doc/.wps) and converting it needs LibreOffice, "
            "which is not installed here: install it (apt-get install libreoffice-writer) "
            "or save the bulletin as DOCX or PDF."
        )
    converted = convert_to_docx(data, source, converter, limits)
    doc = read_docx(converted, source, sha256, limits)
    doc.format = "doc"
    doc.notes.append(f"converted from legacy Word/WPS to DOCX with {Path(converter).name}")
    return doc


def refuse_encrypted(data: bytes, source: str) -> None:
    """Given OLE bytes, raise Encrypted when they hold an encrypted OOXML
    package or a Word document flagged as encrypted; Corrupt when the OLE
    structure cannot be read."""
    streams = ole_streams(data, source)
    if "EncryptedPackage" in streams:
        raise Encrypted(
            f"{source} is a password-protected Office document (an encrypted package); "
            "ask the publisher for an unprotected copy, or open it with the password and save it again without one."
        )
    word = streams.get("WordDocument")
    if word is not None:
        fib = _read_stream(data, word, 12)
        if len(fib) >= 12 and struct.unpack_from("<H", fib, 10)[0] & 0x0100:
            raise Encrypted(
                f"{source} is a password-protected Word document; "
                "ask the publisher for an unprotected copy, or save it again without a password."
            )


def find_converter() -> str | None:
    """Return the path of LibreOffice's `soffice` (or `libreoffice`), or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_docx(data: bytes, source: str, converter: str, limits: Limits) -> bytes:
    """Given legacy Word bytes, return the DOCX bytes LibreOffice makes of
    them (input copied to a temporary folder, never touched in place)."""
    with tempfile.TemporaryDirectory(prefix="tongbao-doc-") as tmp:
        folder = Path(tmp)
        original = folder / "bulletin.doc"
        original.write_bytes(data)
        command = [
            converter,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless", "--norestore", "--nolockcheck",
            "--convert-to", "docx", "--outdir", str(folder / "out"), str(original),
        ]
        _run(command, source, limits.conversion_timeout_s)
        result = folder / "out" / "bulletin.docx"
        if not result.exists():
            raise Corrupt(
                f"{source}: LibreOffice could not convert this legacy Word/WPS file to DOCX; "
                "open it in Word or WPS and save it as DOCX or PDF."
            )
        return result.read_bytes()


def _run(command: list[str], source: str, timeout_s: float) -> None:
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    try:
        process.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise ParseTimeout(
            f"{source}: converting with LibreOffice took longer than conversion_timeout_s={timeout_s:g}s; "
            "the file may be damaged, or raise the limit."
        ) from None


# -- a minimal OLE (Compound File Binary) directory reader ------------------------


class _Ole:
    def __init__(self, data: bytes, sector_size: int, fat: list[int]):
        self.data, self.sector_size, self.fat = data, sector_size, fat

    def sector(self, number: int) -> bytes:
        start = (number + 1) * self.sector_size
        return self.data[start : start + self.sector_size]

    def chain(self, first: int) -> list[int]:
        out, seen, current = [], set(), first
        while current not in (_END_OF_CHAIN, _FREE):
            if current >= len(self.fat) or current in seen:
                raise ValueError(f"broken sector chain at sector {current}")
            seen.add(current)
            out.append(current)
            current = self.fat[current]
        return out


def ole_streams(data: bytes, source: str) -> dict[str, tuple[int, int, "_Ole"]]:
    """Given OLE bytes, return stream name -> (first sector, size, file) for
    the entries of its directory; raise Corrupt for a damaged structure."""
    try:
        ole = _open_ole(data)
        directory = b"".join(ole.sector(s) for s in ole.chain(struct.unpack_from("<I", data, 0x30)[0]))
    except (ValueError, struct.error, IndexError) as exc:
        raise Corrupt(
            f"{source} starts like a legacy Office (OLE) file but its structure is damaged ({exc}); "
            "re-download it or save it again as DOCX or PDF."
        ) from exc
    streams = {}
    for offset in range(0, len(directory) - 127, 128):
        entry = directory[offset : offset + 128]
        name_len = struct.unpack_from("<H", entry, 64)[0]
        if entry[66] not in (1, 2, 5) or not 2 <= name_len <= 64:
            continue
        name = entry[: name_len - 2].decode("utf-16-le", errors="replace")
        start, size = struct.unpack_from("<II", entry, 116)
        streams[name] = (start, size, ole)
    return streams


def _open_ole(data: bytes) -> _Ole:
    if not data.startswith(OLE_MAGIC) or len(data) < 512:
        raise ValueError("no OLE header")
    sector_size = 1 << struct.unpack_from("<H", data, 0x1E)[0]
    if sector_size not in (512, 4096):
        raise ValueError(f"sector size {sector_size}")
    fat_count, = struct.unpack_from("<I", data, 0x2C)
    difat = [s for s in struct.unpack_from("<109I", data, 0x4C) if s != _FREE]
    ole = _Ole(data, sector_size, [])
    next_difat, difat_count = struct.unpack_from("<II", data, 0x44)
    per_sector = sector_size // 4 - 1
    for _ in range(min(difat_count, _MAX_SECTORS)):
        if next_difat in (_END_OF_CHAIN, _FREE):
            break
        block = struct.unpack(f"<{per_sector + 1}I", ole.sector(next_difat))
        difat.extend(s for s in block[:per_sector] if s != _FREE)
        next_difat = block[per_sector]
    fat: list[int] = []
    for s in difat[:fat_count]:
        raw = ole.sector(s)
        fat.extend(struct.unpack(f"<{len(raw) // 4}I", raw[: len(raw) // 4 * 4]))
    ole.fat = fat
    return ole


def _read_stream(data: bytes, stream: tuple[int, int, _Ole], limit: int) -> bytes:
    """Given a directory entry of a regular (non-mini) stream, return its first `limit` bytes."""
    start, size, ole = stream
    if size < 4096:  # lives in the mini stream; WordDocument never does
        return b""
    return ole.sector(start)[:limit]
