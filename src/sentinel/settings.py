"""One frozen settings object, read from SENTINEL_* environment variables."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from sentinel.yamlconf import ConfigError

_CONFIG_MARKER = Path("classify") / "taxonomy.yaml"


def find_config_dir(start: Path | None = None) -> Path:
    """The folder holding ingest/, classify/, alerts/ (the repository root or a deployed copy).

    Looks at SENTINEL_CONFIG_DIR, then walks up from the working directory, then from this package
    (an editable install inside the repository).
    """
    explicit = os.environ.get("SENTINEL_CONFIG_DIR")
    if explicit:
        return Path(explicit)
    for origin in (start or Path.cwd(), Path(__file__).resolve()):
        for folder in (origin, *origin.parents):
            if (folder / _CONFIG_MARKER).is_file():
                return folder
    return Path.cwd()


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SENTINEL_", frozen=True, extra="ignore")

    data_dir: Path = Field(default=Path("var"), description="Where the embedded runtime keeps its store.")
    config_dir: Path = Field(default_factory=find_config_dir)
    # response windows from another file than config_dir/alerts/policies.yaml (a policy trial in
    # `sentinel simulate --policies`; the office's own file is left as it is)
    policies_file: Path | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    public_url: str = ""  # base for links in notifications; defaults to http://host:port
    api_token: SecretStr | None = None  # else created on first run in data_dir/api_token

    # ingest
    duplicate_window_hours: float = 24.0
    future_tolerance_minutes: float = 10.0
    max_text_chars: int = 100_000
    analysis_head_chars: int = 8_000
    analysis_tail_chars: int = 2_000
    reject_raw_bytes: int = 16_384
    sqlite_synchronous: str = "FULL"  # FULL survives power loss; NORMAL survives kill -9 only

    # a clock step that fires later than this after its time (downtime) is marked late
    late_grace_seconds: float = 60.0

    # demo replay speed factor: 120 = two hours of stream per real minute, so the first 重大
    # incident (mid-afternoon of day one) appears within about seven minutes
    demo_speed: float = 120.0

    @property
    def db_path(self) -> Path:
        return self.data_dir / "sentinel.db"

    @property
    def base_url(self) -> str:
        return self.public_url or f"http://{self.host}:{self.port}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Raises ConfigError naming the variable (SENTINEL_PORT=eighty) instead of a validation dump."""
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(f"SENTINEL_{'_'.join(str(p) for p in e['loc']).upper()}: {e['msg']}" for e in exc.errors())
        raise ConfigError(f"环境变量有误 / bad environment variable: {problems}") from exc
