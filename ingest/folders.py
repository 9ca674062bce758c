"""Walking input folders that may be hostile: only regular files are read.

An inbox can hold a FIFO (reading it hangs), a link to `/dev/zero` (reading
it never ends), a link to `/etc/shadow` (reading it leaks), a link loop, a
sub-folder nobody may read, a sparse 3 GiB file, or a file name that is not
UTF-8 (GBK names unpacked from a Windows ZIP). So: links are followed only
inside the folder given (unless `follow_links`), folders are visited once
(by device and inode, which catches loops), anything that is not a regular
file and anything unreadable becomes a rejection with its reason, never a
silent skip; and `read_bounded` checks the size on the open file before
reading, and reads at most one byte past the limit.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Iterable

from parsers.errors import TooLarge
from parsers.limits import Limits, check_size

from .outcomes import Outcome, Status

SKIPPED_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}


def label_for(path: str | Path) -> str:
    """Given a path, return the text that names it in the warehouse: the path
    itself, with bytes that are not UTF-8 written as `\\xNN` (lossless, printable)."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _reject(path: Path, reason: str, message: str) -> Outcome:
    return Outcome(label_for(path), None, Status.REJECTED, reason=reason, message=message)


def _inside(target: str, root: str) -> bool:
    return target == root or target.startswith(root.rstrip(os.sep) + os.sep)


def walk_inputs(paths: Iterable[str | Path], follow_links: bool = False) -> tuple[list[Path], list[Outcome]]:
    """Given files and folders, return (regular files under them, sorted and
    each once; a rejection for everything else met); raise FileNotFoundError
    for a path that does not exist."""
    found: list[Path] = []
    rejected: list[Outcome] = []
    for raw in paths:
        path = Path(raw)
        if not os.path.lexists(path):
            raise FileNotFoundError(f"{label_for(path)} does not exist")
        try:
            info = path.stat()
        except OSError as exc:
            rejected.append(_unreadable(path, exc))
            continue
        if stat.S_ISDIR(info.st_mode):
            _walk(path, os.path.realpath(path), follow_links, set(), found, rejected)
        elif stat.S_ISREG(info.st_mode):
            found.append(path)
        else:
            rejected.append(_not_a_file(path, info.st_mode))
    seen: set[tuple[int, int]] = set()
    unique = []
    for p in found:
        try:
            info = p.stat()
        except OSError as exc:
            rejected.append(_unreadable(p, exc))
            continue
        if (info.st_dev, info.st_ino) not in seen:
            seen.add((info.st_dev, info.st_ino))
            unique.append(p)
    return unique, rejected


def _walk(folder: Path, root: str, follow_links: bool, visited: set, found: list, rejected: list) -> None:
    try:
        info = folder.stat()
        if (info.st_dev, info.st_ino) in visited:
            return  # a loop, or a second way into a folder already read
        visited.add((info.st_dev, info.st_ino))
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda e: os.fsencode(e.name))
    except OSError as exc:
        rejected.append(_unreadable(folder, exc, folder=True))
        return
    for entry in entries:
        if entry.name.startswith(".") or entry.name in SKIPPED_NAMES:
            continue
        path = Path(entry.path)
        try:
            if entry.is_symlink():
                target = os.path.realpath(path)
                if not follow_links and not _inside(target, root):
                    rejected.append(_reject(path, "link_outside",
                                            f"{label_for(path)} is a link to {label_for(target)}, outside the folder "
                                            "given; it was not read. Copy the file in, or pass --follow-links."))
                    continue
            info = path.stat()  # follows the link; ELOOP for a link loop
        except OSError as exc:
            rejected.append(_unreadable(path, exc))
            continue
        if stat.S_ISDIR(info.st_mode):
            _walk(path, root, follow_links, visited, found, rejected)
        elif stat.S_ISREG(info.st_mode):
            found.append(path)
        else:
            rejected.append(_not_a_file(path, info.st_mode))


def _not_a_file(path: Path, mode: int) -> Outcome:
    kind = ("a FIFO" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode)
            else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a regular file")
    return _reject(path, "not_a_file", f"{label_for(path)} is {kind}, not a regular file; it was not read. "
                                       "Only regular files are ingested.")


def _unreadable(path: Path, exc: OSError, folder: bool = False) -> Outcome:
    what = "the folder" if folder else ""
    why = exc.strerror or str(exc)
    hint = "it is a link loop" if getattr(exc, "errno", None) == 40 else "check its permissions"
    return _reject(path, "unreadable", f"{what + ' ' if what else ''}{label_for(path)} could not be read ({why}); "
                                       f"{hint}. Nothing under it was ingested." if folder else
                   f"{label_for(path)} could not be read ({why}); {hint}.")


def read_bounded(path: str | Path, label: str, limits: Limits) -> bytes:
    """Given a file, return its bytes; raise TooLarge (before reading them)
    when it is over max_file_bytes, OSError when it is not a regular file.
    The check is made on the open file, and at most one byte past the limit is read."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise IsADirectoryError(21, "not a regular file", str(path)) if stat.S_ISDIR(info.st_mode) else \
                OSError(f"{label} is not a regular file")
        check_size(info.st_size, label, limits)
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(limits.max_file_bytes + 1)
        check_size(len(data), label, limits)  # it grew while we read
        return data
    finally:
        os.close(fd)


__all__ = ["walk_inputs", "read_bounded", "label_for", "TooLarge"]
