"""Leernetwerk Amsterdam: cross-school professional learning communities."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask

from plc.config import load_config
from plc.core.db import postgres_engine_options, sqlite_engine_options

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(
    overrides: dict[str, Any] | None = None, *, instance_path: str | None = None
) -> Flask:
    """Build the app: configuration, extensions, features, in that order."""
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
        instance_path=instance_path or str(PROJECT_ROOT / "instance"),
    )
    app.config.update(load_config(Path(app.instance_path), overrides))
    _configure_logging(app)
    _init_extensions(app)
    _import_models()
    _register_features(app)
    _trust_proxy(app)
    return app


def _trust_proxy(app: Flask) -> None:
    """Behind nginx (PROXY_COUNT=1), see the client's address and scheme, not the proxy's.
    Wrapped last, around Socket.IO's middleware too, so the live room sees them as well."""
    count = app.config["PROXY_COUNT"]
    if count:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)  # type: ignore[method-assign]


def _configure_logging(app: Flask) -> None:
    if not app.debug and not app.testing:
        logging.basicConfig(
            level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )


def _init_extensions(app: Flask) -> None:
    from plc.core import db as core_db
    from plc.core import errors, i18n, pagecache, security
    from plc.extensions import csrf, db, limiter, login_manager, migrate, socketio

    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = sqlite_engine_options(
            app.config["SQLALCHEMY_ENGINE_OPTIONS"]
        )
    elif app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = postgres_engine_options(
            app.config["SQLALCHEMY_ENGINE_OPTIONS"]
        )
    db.init_app(app)
    # Before the SQLite tuning: its commit hook lets the next writer in, so new page-cache
    # tokens are written first.
    pagecache.install_on(app)
    core_db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    socketio.init_app(
        app,
        async_mode=app.config["SOCKETIO_ASYNC_MODE"],
        message_queue=app.config["REDIS_URL"],
        channel=app.config["SOCKETIO_CHANNEL"],
    )
    i18n.init_app(app)
    # Its middleware goes in front of Socket.IO's (and ProxyFix, last, in front of both).
    pagecache.init_app(app)
    security.init_app(app)
    errors.init_app(app)


def _import_models() -> None:
    """Every model module, so that the metadata (and Alembic) knows every table."""
    import plc.auth.models
    import plc.catalogue.models
    import plc.communities.models
    import plc.core.outbox
    import plc.core.pagecache
    import plc.development.models
    import plc.discussions.models
    import plc.knowledge.models
    import plc.live.models
    import plc.notifications.models
    import plc.organisations.models
    import plc.pilots.models
    import plc.resources.models
    import plc.surveys.models
    import plc.themes.models  # noqa: F401


def _register_features(app: Flask) -> None:
    from plc.admin import views as admin_views
    from plc.api import views as api_views
    from plc.auth import cli as auth_cli  # noqa: F401  (registers create-admin)
    from plc.auth import privacy_views
    from plc.auth import views as auth_views
    from plc.catalogue import gaps as catalogue_gaps
    from plc.catalogue import questions as catalogue_questions
    from plc.catalogue import views as catalogue_views
    from plc.communities import views as community_views
    from plc.core import templating
    from plc.core import views as core_views
    from plc.core.cli import plc_cli
    from plc.dashboards import views as dashboard_views
    from plc.development import plan_views
    from plc.development import views as development_views
    from plc.discussions import views as discussion_views
    from plc.knowledge import feeds as knowledge_feeds
    from plc.knowledge import public as knowledge_public
    from plc.knowledge import views as knowledge_views
    from plc.live import realtime as live_realtime
    from plc.live import views as live_views
    from plc.notifications import views as notification_views
    from plc.organisations import cli as organisation_cli  # noqa: F401  (registers import-schools)
    from plc.organisations import views as organisation_views
    from plc.pilots import views as pilot_views
    from plc.resources import views as resource_views
    from plc.search import views as search_views
    from plc.surveys import views as survey_views

    templating.init_app(app)
    core_views.init_app(app)
    auth_views.init_app(app)
    privacy_views.init_app(app)
    admin_views.init_app(app)
    organisation_views.init_app(app)
    community_views.init_app(app)
    resource_views.init_app(app)
    discussion_views.init_app(app)
    live_views.init_app(app)
    live_realtime.init_app(app)  # handlers are registered anew on each app's Socket.IO server
    development_views.init_app(app)
    plan_views.init_app(app)
    dashboard_views.init_app(app)
    knowledge_views.init_app(app)
    catalogue_views.init_app(app)
    catalogue_questions.init_app(app)
    catalogue_gaps.init_app(app)
    knowledge_public.init_app(app)
    knowledge_feeds.init_app(app)
    pilot_views.init_app(app)
    survey_views.init_app(app)
    api_views.init_app(app)
    notification_views.init_app(app)
    search_views.init_app(app)
    app.cli.add_command(plc_cli)
