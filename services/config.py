"""Start-up configuration from VN_* environment variables (run-time settings live in the database)."""

import os
import secrets
from pathlib import Path

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SECRET_FILE = 'storage_secret'  # noqa: S105 - a file name, not a secret


class ConfigError(Exception):
    """A VN_* variable has a bad value; the message names it and says what is expected."""


class Config(BaseSettings):
    model_config = SettingsConfigDict(env_prefix='VN_', extra='ignore')

    data_dir: Path = Path('./data')
    host: str = Field(default='127.0.0.1', min_length=1)
    port: int = Field(default=8080, ge=1, le=65535)
    database_url: str | None = None
    storage_secret: str | None = None
    base_url: str | None = None  # the address members open (https://netz.example.org), for links in e-mails

    @property
    def public_base_url(self) -> str:
        """VN_BASE_URL without a trailing slash, else http://VN_HOST:VN_PORT."""
        return (self.base_url or f'http://{self.host}:{self.port}').rstrip('/')

    @field_validator('database_url')
    @classmethod
    def _known_database(cls, value: str | None) -> str | None:
        if value in (None, ''):
            return None
        if not value.startswith(('sqlite:', 'postgresql')):
            raise ValueError('expected sqlite:///PATH or postgresql+psycopg://USER@HOST/DB')
        return value

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f'sqlite:///{(self.data_dir / "verwaltungsnetz.db").resolve()}'


def load_config() -> Config:
    """Read the environment; raise ConfigError with one readable line per bad variable."""
    try:
        return Config()
    except ValidationError as e:
        lines = []
        for err in e.errors():
            name = 'VN_' + '_'.join(str(p) for p in err['loc']).upper()
            lines.append(f'{name}={os.environ.get(name, "")!r}: {err["msg"]}')
        raise ConfigError('Invalid configuration:\n  ' + '\n  '.join(lines)) from None


def prepare_data_dir(config: Config) -> str:
    """Create the data folder and return the storage secret, generating and keeping one (mode 0600) if needed."""
    config.data_dir.mkdir(parents=True, exist_ok=True)
    if config.storage_secret:
        return config.storage_secret
    path = config.data_dir / SECRET_FILE
    if path.exists():
        secret = path.read_text(encoding='utf-8').strip()
        if secret:
            path.chmod(0o600)
            return secret
    secret = secrets.token_urlsafe(48)
    # Create with 0600 from the start: no moment in which others can read it.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, 'w', encoding='utf-8') as f:
        f.write(secret)
    path.chmod(0o600)
    return secret
