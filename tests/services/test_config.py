"""Start-up configuration from VN_* environment variables and the data folder."""

import os
import stat
from pathlib import Path

import pytest

from services.config import SECRET_FILE, ConfigError, load_config, prepare_data_dir


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for name in list(os.environ):
        if name.startswith('VN_'):
            monkeypatch.delenv(name)


def test_defaults_without_environment():
    config = load_config()
    assert config.data_dir == Path('./data')
    assert (config.host, config.port) == ('127.0.0.1', 8080)
    assert config.database_url is None and config.storage_secret is None
    assert config.resolved_database_url == f'sqlite:///{Path("./data/verwaltungsnetz.db").resolve()}'


def test_environment_overrides_defaults(monkeypatch, tmp_path):
    monkeypatch.setenv('VN_DATA_DIR', str(tmp_path))
    monkeypatch.setenv('VN_PORT', '9000')
    monkeypatch.setenv('VN_HOST', 'vn.example.org')
    monkeypatch.setenv('VN_DATABASE_URL', 'postgresql+psycopg://vn@db/vn')
    config = load_config()
    assert (config.data_dir, config.port, config.host) == (tmp_path, 9000, 'vn.example.org')
    assert config.resolved_database_url == 'postgresql+psycopg://vn@db/vn'


def test_port_that_is_not_a_number_names_vn_port(monkeypatch):
    monkeypatch.setenv('VN_PORT', 'abc')
    with pytest.raises(ConfigError) as e:
        load_config()
    assert "VN_PORT='abc'" in str(e.value)


@pytest.mark.parametrize('port', ['70000', '0'])
def test_port_out_of_range_is_refused(monkeypatch, port):
    monkeypatch.setenv('VN_PORT', port)
    with pytest.raises(ConfigError) as e:
        load_config()
    assert 'VN_PORT' in str(e.value)


def test_unsupported_database_url_is_refused(monkeypatch):
    monkeypatch.setenv('VN_DATABASE_URL', 'mysql://x')
    with pytest.raises(ConfigError) as e:
        load_config()
    assert 'VN_DATABASE_URL' in str(e.value) and 'sqlite' in str(e.value)


def test_every_bad_variable_is_named(monkeypatch):
    monkeypatch.setenv('VN_PORT', 'abc')
    monkeypatch.setenv('VN_DATABASE_URL', 'mysql://x')
    with pytest.raises(ConfigError) as e:
        load_config()
    assert 'VN_PORT' in str(e.value) and 'VN_DATABASE_URL' in str(e.value)


def test_empty_database_url_means_the_default(monkeypatch):
    monkeypatch.setenv('VN_DATABASE_URL', '')
    assert load_config().database_url is None


def test_prepare_data_dir_creates_folder_and_private_secret_file(monkeypatch, tmp_path):
    data_dir = tmp_path / 'nested' / 'data'
    monkeypatch.setenv('VN_DATA_DIR', str(data_dir))
    secret = prepare_data_dir(load_config())
    path = data_dir / SECRET_FILE
    assert data_dir.is_dir()
    assert path.read_text(encoding='utf-8') == secret and len(secret) >= 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_prepare_data_dir_reuses_the_stored_secret(monkeypatch, tmp_path):
    monkeypatch.setenv('VN_DATA_DIR', str(tmp_path))
    first = prepare_data_dir(load_config())
    second = prepare_data_dir(load_config())
    assert first == second


def test_prepare_data_dir_tightens_mode_of_an_existing_secret_file(monkeypatch, tmp_path):
    monkeypatch.setenv('VN_DATA_DIR', str(tmp_path))
    path = tmp_path / SECRET_FILE
    path.write_text('kept-secret\n', encoding='utf-8')
    path.chmod(0o644)
    assert prepare_data_dir(load_config()) == 'kept-secret'
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_storage_secret_from_environment_wins(monkeypatch, tmp_path):
    monkeypatch.setenv('VN_DATA_DIR', str(tmp_path))
    prepare_data_dir(load_config())  # a stored secret exists
    monkeypatch.setenv('VN_STORAGE_SECRET', 'from-the-environment')
    assert prepare_data_dir(load_config()) == 'from-the-environment'
