"""Progress of a long ingest.

On a terminal: one bar on stderr drawn by tqdm (files done / total, files/s, ETA, with MB/s and
failures so far beside it); messages (errors) are printed above it with tqdm.write, so they
never tear it. Elsewhere (a log file, a pipe, cron): a plain line every `log_every` seconds,
ours, since a bar redrawn with carriage returns makes a log unreadable. Quiet: nothing but the
lines passed to `message`.
"""
from __future__ import annotations

import sys
import time
from typing import Optional, TextIO

from tqdm import tqdm

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
                 label: str = "ingest"):
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
        self.label = label
        self._bar: Optional[tqdm] = None
        self.total = 0
        self.done = 0
        self.failed = 0
        self.unchanged = 0
        self.bytes = 0
        self.t0 = time.monotonic()
        self._last_log = self.t0

    # ---------------------------------------------------------------- events
    def start(self, total: int) -> None:
        self.total = total
        self.t0 = self._last_log = time.monotonic()
        if not self.quiet and not self.tty and total:
            self._write(f"{self.label}: {total} files to check\n")
        if self.tty and not self.quiet:
            self._bar = tqdm(total=total, desc=self.label, unit="file", file=self.stream,
                             mininterval=self.redraw_every, dynamic_ncols=True, leave=True)
            self._bar.set_postfix_str(self._postfix(), refresh=True)

    def advance(self, status: str, nbytes: int = 0) -> None:
        self.done += 1
        if status == "error":
            self.failed += 1
        elif status == "unchanged":
            self.unchanged += 1
        else:
            self.bytes += nbytes
        now = time.monotonic()
        if self._bar is not None:
            self._bar.set_postfix_str(self._postfix(), refresh=False)
            self._bar.update(1)
        elif not self.tty and not self.quiet and now - self._last_log >= self.log_every:
            self._last_log = now
            self._write(self.line() + "\n")

    def message(self, text: str) -> None:
        """One line (an error) printed above the bar, shown even when quiet."""
        if self._bar is not None:
            tqdm.write(printable(text), file=self.stream)
        else:
            self._write(printable(text) + "\n")

    def finish(self) -> None:
        if self._bar is not None:
            self._bar.set_postfix_str(self._postfix(), refresh=False)
            self._bar.close()
            self._bar = None
        elif (not self.tty and not self.quiet and self.total
              and time.monotonic() - self.t0 >= self.log_every):
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

    def _postfix(self) -> str:
        _, mbps, _ = self.rates()
        return f"{mbps:.1f} MB/s, {self.failed} failed"

    # ---------------------------------------------------------------- output
    def _write(self, s: str) -> None:
        try:
            self.stream.write(s)
            self.stream.flush()
        except (OSError, ValueError):  # closed pipe or stream: progress is never worth a crash
            pass
