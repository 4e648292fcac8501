"""Power figures computed from the raw files, as the official checkers compute them.

A result measured for power has ``performance/power/`` (the PTD client and
server logs) and, in its testing run ``performance/run_1/``, the analyzer's
samples ``spl.txt`` beside the detail log that says when the run began and
ended (``power_begin``, ``power_end``). The figure is the mean of the samples
strictly inside that window: watts for Offline and Server, or energy per
query (or per sample) for SingleStream and MultiStream. Which, in what unit,
and whether the PTD time zones apply is the round's (its profile's power
rules); the arithmetic is here.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from datetime import datetime, timedelta

TIME_FORMAT = "%m-%d-%Y %H:%M:%S.%f"
_EPOCH = datetime(1970, 1, 1)


def parse_time(text: str) -> datetime:
    """A PTD or LoadGen timestamp, e.g. ``03-18-2021 21:29:31.830``."""
    return datetime.strptime(text.strip(), TIME_FORMAT)


def _micros(moment: datetime) -> int:
    return (moment - _EPOCH) // timedelta(microseconds=1)


_DAY_MICROS = 86_400_000_000


def _fast_micros(text: bytes, days: dict[bytes, int]) -> int:
    """µs since 1970 of ``MM-DD-YYYY HH:MM:SS.fff``; strptime per sample costs too much."""
    if len(text) < 19 or text[2:3] != b"-" or text[5:6] != b"-" or text[10:11] != b" ":
        raise ValueError(text)
    date = text[:10]
    day = days.get(date)
    if day is None:
        day = days[date] = _micros(datetime(int(text[6:10]), int(text[0:2]), int(text[3:5])))
    if text[13:14] != b":" or text[16:17] != b":":
        raise ValueError(text)
    hours, minutes, seconds = int(text[11:13]), int(text[14:16]), int(text[17:19])
    if hours > 23 or minutes > 59 or seconds > 59:
        raise ValueError(text)
    micros = 0
    if len(text) > 19:
        if text[19:20] != b".":
            raise ValueError(text)
        fraction = text[20:26]
        if not fraction.isdigit():
            raise ValueError(text)
        micros = int(fraction.ljust(6, b"0"))
    return day + ((hours * 60 + minutes) * 60 + seconds) * 1_000_000 + micros


@dataclass
class PowerSamples:
    """The samples of one spl.txt: times (µs since 1970, analyzer clock) and watts."""

    times: array = field(default_factory=lambda: array("q"))
    watts: array = field(default_factory=lambda: array("d"))
    other_lines: int = 0  # lines that are not samples ("Time,...")
    bad_lines: int = 0  # sample lines that do not parse
    first_bad: str = ""
    marks: set[str] = field(default_factory=set)  # the PTD session marks seen


class PowerSamplesConsumer:
    """Streams spl.txt, keeping 16 bytes a sample (at most ``max_samples``)."""

    def __init__(self, max_samples: int = 20_000_000):
        self.samples = PowerSamples()
        self.tail = b""
        self.max_samples = max_samples
        self.days: dict[bytes, int] = {}

    def feed(self, chunk: bytes) -> None:
        lines = (self.tail + chunk).split(b"\n")
        self.tail = lines.pop()[-4096:]
        for line in lines:
            self._line(line)

    def close(self) -> PowerSamples:
        if self.tail.strip():
            self._line(self.tail)
        self.tail = b""
        return self.samples

    def _line(self, raw: bytes) -> None:
        samples = self.samples
        line = raw.strip()
        if not line:
            return
        fields = line.split(b",")
        if fields[0] != b"Time":
            samples.other_lines += 1
            return
        try:
            moment = _fast_micros(fields[1], self.days)
            watts = float(fields[3])
        except (IndexError, ValueError):
            samples.bad_lines += 1
            samples.first_bad = samples.first_bad or line[:200].decode("utf-8", "replace")
            return
        if len(fields) > 11 and fields[10] == b"Mark" and len(samples.marks) < 20:
            samples.marks.add(fields[11].decode("utf-8", "replace"))
        if len(samples.times) < self.max_samples:
            samples.times.append(moment)
            samples.watts.append(watts)


def parse_samples(text: str) -> PowerSamples:
    consumer = PowerSamplesConsumer()
    consumer.feed(text.encode("utf-8"))
    return consumer.close()


@dataclass(frozen=True)
class PowerWindow:
    average_watts: float
    duration_s: float
    samples: int


def window_average(
    samples: PowerSamples,
    begin: datetime,
    end: datetime,
    *,
    loadgen_offset_s: float = 0,
    analyzer_offset_s: float = 0,
    positive_only: bool = False,
) -> PowerWindow | None:
    """The mean of the samples strictly between ``begin`` and ``end``, or None if none.

    The offsets are the PTD time zones some rounds add to each clock (v1.0:
    client.json's to LoadGen's times, server.json's to the analyzer's). The
    mean is summed in file order, as the official checker sums it, so that
    the figure is the same to the last bit.
    """
    lo = _micros(begin) + round((loadgen_offset_s - analyzer_offset_s) * 1e6)
    hi = _micros(end) + round((loadgen_offset_s - analyzer_offset_s) * 1e6)
    kept = [
        w
        for t, w in zip(samples.times, samples.watts, strict=True)
        if lo < t < hi and (w > 0 or not positive_only)
    ]
    if not kept:
        return None
    return PowerWindow(sum(kept) / len(kept), (end - begin).total_seconds(), len(kept))
