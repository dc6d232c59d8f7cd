"""Time helpers: everything is timezone-aware; Asia/Shanghai is the display zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Protocol
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Fixed +08:00 offset: China has had no DST since 1991, and a fixed offset serialises cleanly.
CST = timezone(timedelta(hours=8))
# Earlier times given for a post or a staff action are data errors (a zero date), not history.
EARLIEST_PLAUSIBLE = datetime(1990, 1, 1, tzinfo=SHANGHAI)


class Clock(Protocol):
    """Injected time source; tests and `simulate` pass a fake one."""

    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FakeClock:
    """A clock advanced by hand (tests, simulation)."""

    def __init__(self, start: datetime) -> None:
        self._now = ensure_aware(start)

    def now(self) -> datetime:
        return self._now

    def set(self, when: datetime) -> None:
        self._now = ensure_aware(when)

    def advance(self, delta: timedelta) -> None:
        self._now += delta


class ScaledClock:
    """Virtual time running `speed` times faster than `base`, starting at `start` (demo replay)."""

    def __init__(self, start: datetime, speed: float, base: Clock | None = None) -> None:
        self._base = base or SystemClock()
        self._real0 = self._base.now()
        self._virt0 = ensure_aware(start)
        self.speed = speed

    def now(self) -> datetime:
        return self._virt0 + (self._base.now() - self._real0) * self.speed

    def real_delay(self, until: datetime) -> float:
        """Real seconds to wait until virtual time reaches `until` (≥ 0)."""
        return max(0.0, (until - self.now()).total_seconds() / self.speed)


def ensure_aware(value: datetime, default_tz: ZoneInfo = SHANGHAI) -> datetime:
    """A naive datetime is taken as Asia/Shanghai wall time (the post contract says so)."""
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        return value.replace(tzinfo=default_tz)
    return value


def to_shanghai(value: datetime) -> datetime:
    aware = ensure_aware(value)
    try:
        return aware.astimezone(SHANGHAI)
    except (OverflowError, ValueError):
        # Within hours of datetime's year 1 / 9999 bounds: shown in its own offset rather than failing a page.
        return aware


def iso(value: datetime) -> str:
    """ISO 8601 in Asia/Shanghai with offset, seconds precision (the form users and tools read)."""
    return to_shanghai(value).isoformat(timespec="seconds")


def parse_iso(text: str) -> datetime:
    """Parse ISO 8601; naive means Asia/Shanghai. Raises ValueError."""
    cleaned = text.strip().replace("Z", "+00:00")
    if " " in cleaned and "T" not in cleaned:
        cleaned = cleaned.replace(" ", "T", 1)
    return ensure_aware(datetime.fromisoformat(cleaned))


def format_duration_zh(delta: timedelta) -> str:
    """'3小时05分' / '已超时1小时10分' for notifications and the console."""
    seconds = int(delta.total_seconds())
    prefix = "" if seconds >= 0 else "已超时"
    seconds = abs(seconds)
    days, rem = divmod(seconds, 86400)
    hours, rem = divmod(rem, 3600)
    minutes = rem // 60
    if days:
        return f"{prefix}{days}天{hours}小时"
    if hours:
        return f"{prefix}{hours}小时{minutes:02d}分"
    return f"{prefix}{minutes}分钟"
