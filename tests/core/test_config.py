"""Configuration from the environment; no secret defaults."""

from __future__ import annotations

import stat

import pytest

from plc.config import ConfigError, load_config, normalise_database_url


def test_secret_key_is_generated_once_with_private_permissions(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("PLC_ENV", raising=False)
    first = load_config(tmp_path)["SECRET_KEY"]
    second = load_config(tmp_path)["SECRET_KEY"]
    assert first == second and len(first) >= 64
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600


def test_secret_key_from_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    assert load_config(tmp_path)["SECRET_KEY"] == "from-the-environment"
    assert not (tmp_path / "secret_key").exists()


def test_production_refuses_without_secret_key(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("PLC_ENV", "production")
    monkeypatch.setenv("SERVER_NAME", "leernetwerk.example.org")
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        load_config(tmp_path)
    assert not (tmp_path / "secret_key").exists()


def test_production_refuses_debug(tmp_path, monkeypatch):
    monkeypatch.setenv("PLC_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "s" * 64)
    monkeypatch.setenv("SERVER_NAME", "leernetwerk.example.org")
    monkeypatch.setenv("FLASK_DEBUG", "1")
    with pytest.raises(ConfigError, match="debug"):
        load_config(tmp_path)


def test_production_has_secure_cookies_and_development_not(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "s" * 64)
    monkeypatch.setenv("SERVER_NAME", "leernetwerk.example.org")
    monkeypatch.setenv("PLC_ENV", "production")
    production = load_config(tmp_path)
    assert production["SESSION_COOKIE_SECURE"] and production["REMEMBER_COOKIE_SECURE"]
    assert production["PREFERRED_URL_SCHEME"] == "https"
    monkeypatch.setenv("PLC_ENV", "development")
    assert not load_config(tmp_path)["SESSION_COOKIE_SECURE"]


def test_unknown_environment_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("PLC_ENV", "staging")
    with pytest.raises(ConfigError, match="PLC_ENV"):
        load_config(tmp_path)


def test_database_url_defaults_to_instance_sqlite_and_postgres_uses_psycopg(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert (
        load_config(tmp_path)["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'plc.sqlite3'}"
    )
    assert normalise_database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    config = load_config(tmp_path)
    assert config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/0"
