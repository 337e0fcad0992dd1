"""Progress of a long ingest, without dependencies.

On a terminal: one bar on stderr, redrawn at most a few times a second —
files done / total, files/s, MB/s, ETA and failures so far. Elsewhere (a log file, a pipe,
cron): a plain line every `log_every` seconds. Quiet: nothing but the lines passed to
`message` (errors). Messages never tear the bar: it is cleared, the line printed, then redrawn.
"""
from __future__ import annotations

import os
import sys
import time
from typing import Optional, TextIO

_CONTROL = {i: f"\\x{i:02x}" for i in range(32)} | {10: "\\n", 13: "\\r", 9: "\\t", 127: "\\x7f"}


def printable(text: str) -> str:
    """`text` on one line: control characters escaped, unencodable ones (undecodable file
    names) shown as escapes, so a file name can never break or garble a log line."""
    text = text.translate(_CONTROL)
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _duration(seconds: float) -> str:
    if seconds != seconds or seconds == float("inf"):
        return "?"
    seconds = int(seconds + 0.5)
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}h{m:02d}m" if h else f"{m}m{s:02d}s" if m else f"{s}s"


class Progress:
    def __init__(self, stream: Optional[TextIO] = None, *, quiet: bool = False,
                 tty: Optional[bool] = None, log_every: float = 10.0, redraw_every: float = 0.2,
                 width: int = 28, label: str = "ingest"):
        self.stream = stream if stream is not None else sys.stderr
        self.quiet = quiet
        if tty is None:
            try:
                tty = self.stream.isatty()
            except (AttributeError, ValueError):
                tty = False
        self.tty = tty
        self.log_every = log_every
        self.redraw_every = redraw_every
        self.width = width
        self.label = label
        self.total = 0
        self.done = 0
        self.failed = 0
        self.unchanged = 0
        self.bytes = 0
        self.t0 = time.monotonic()
        self._last_draw = 0.0
        self._last_log = self.t0
        self._drawn = False

    # ---------------------------------------------------------------- events
    def start(self, total: int) -> None:
        self.total = total
        self.t0 = self._last_log = time.monotonic()
        if not self.quiet and not self.tty and total:
            self._write(f"{self.label}: {total} files to check\n")
        self._draw(force=True)

    def advance(self, status: str, nbytes: int = 0) -> None:
        self.done += 1
        if status == "error":
            self.failed += 1
        elif status == "unchanged":
            self.unchanged += 1
        else:
            self.bytes += nbytes
        now = time.monotonic()
        if self.tty:
            if now - self._last_draw >= self.redraw_every:
                self._draw()
        elif not self.quiet and now - self._last_log >= self.log_every:
            self._last_log = now
            self._write(self.line() + "\n")

    def message(self, text: str) -> None:
        """One line (an error) printed above the bar, shown even when quiet."""
        self._clear()
        self._write(printable(text) + "\n")
        self._draw(force=True)

    def finish(self) -> None:
        if self.tty and not self.quiet:
            self._draw(force=True)
            self._write("\n")
            self._drawn = False
        elif not self.quiet and self.total and time.monotonic() - self.t0 >= self.log_every:
            self._write(self.line() + "\n")

    # ---------------------------------------------------------------- text
    def rates(self) -> tuple[float, float, float]:
        """(files/s, MB/s over extracted files, seconds left)."""
        elapsed = max(time.monotonic() - self.t0, 1e-9)
        fps = self.done / elapsed
        mbps = self.bytes / elapsed / 1e6
        # Unchanged files go by in microseconds; estimate the rest from the files that did work.
        worked = self.done - self.unchanged
        left = self.total - self.done
        if left <= 0:
            eta = 0.0
        elif worked > 0:
            eta = left * (elapsed / max(worked, 1))
        else:
            eta = float("inf")
        return fps, mbps, eta

    def line(self) -> str:
        fps, mbps, eta = self.rates()
        pct = 100.0 * self.done / self.total if self.total else 100.0
        return (f"{self.label}: {self.done}/{self.total} files ({pct:.0f}%), {fps:.1f} files/s, "
                f"{mbps:.1f} MB/s, ETA {_duration(eta)}, {self.failed} failed")

    def bar(self) -> str:
        fps, mbps, eta = self.rates()
        frac = self.done / self.total if self.total else 1.0
        full = int(frac * self.width)
        bar = "#" * full + "-" * (self.width - full)
        return (f"[{bar}] {self.done}/{self.total} {fps:.1f} files/s {mbps:.1f} MB/s "
                f"ETA {_duration(eta)} {self.failed} failed")

    # ---------------------------------------------------------------- drawing
    def _draw(self, force: bool = False) -> None:
        if not self.tty or self.quiet:
            return
        now = time.monotonic()
        if not force and now - self._last_draw < self.redraw_every:
            return
        self._last_draw = now
        try:
            cols = os.get_terminal_size(self.stream.fileno()).columns
        except (AttributeError, OSError, ValueError):
            cols = 100
        self._write("\r\x1b[K" + self.bar()[:max(20, cols - 1)])
        self._drawn = True

    def _clear(self) -> None:
        if self._drawn:
            self._write("\r\x1b[K")
            self._drawn = False

    def _write(self, s: str) -> None:
        try:
            self.stream.write(s)
            self.stream.flush()
        except (OSError, ValueError):  # closed pipe or stream: progress is never worth a crash
            pass
