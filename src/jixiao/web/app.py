"""The web app (网页版): `create_app(settings)` builds it over one store.

Pages are rendered on the server in Chinese and made interactive with htmx; the REST API
under `/api/` serves the same services as JSON (OpenAPI schema at `/api/openapi.json`).
Both are authenticated by the same signed session cookie, and every request that changes
something must carry the session's CSRF token (deps.py).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.responses import PlainTextResponse
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from jixiao import __version__, services
from jixiao.web import errors
from jixiao.web.body_limit import BodyLimitMiddleware
from jixiao.web.deps import check_csrf
from jixiao.web.routes import api, auth, dashboard, exports, findings, forms, reports, summaries, uploads, users
from jixiao.web.settings import Settings, stored_secret

STATIC = Path(__file__).parent / "static"
SESSION_COOKIE = "jixiao_session"
UPLOAD_PATHS = (uploads.UPLOAD_PATH, api.IMPORT_PATH)
ROUTERS = tuple(
    module.router for module in (auth, forms, findings, uploads, dashboard, summaries, reports, exports, users, api)
)
# No inline script and no eval anywhere (htmx is told not to eval in base.html); inline
# style attributes stay allowed for the form's column widths (writers/form_html.py).
SECURITY_HEADERS = [
    (b"content-security-policy", b"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
     b"img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
]


def create_app(settings: Settings | None = None) -> FastAPI:
    """The app over the store of `settings.database_url` (StoreError when it is missing or
    behind its schema: run `jixiao db upgrade`)."""
    settings = settings or Settings.from_environment()
    database = services.open_store(settings.database_url)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        database.dispose()

    app = FastAPI(
        title="jixiao 绩效自评审核 API",
        version=__version__,
        description="项目支出绩效自评表的存储、复核与审核。登录后用会话 Cookie 访问；修改类请求须带 X-CSRF-Token。",
        docs_url=None,  # Swagger UI and ReDoc load their scripts from a CDN
        redoc_url=None,
        openapi_url="/api/openapi.json",
        dependencies=[Depends(check_csrf)],
        lifespan=lifespan,
    )
    app.state.database = database
    app.state.settings = settings
    errors.install(app)
    for router in ROUTERS:
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/healthz", include_in_schema=False)
    def health() -> PlainTextResponse:
        return PlainTextResponse("ok")

    app.add_middleware(BodyLimitMiddleware, upload_paths=UPLOAD_PATHS, max_upload_bytes=settings.max_upload_bytes)
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key or stored_secret(database.url),
        session_cookie=SESSION_COOKIE,
        max_age=int(settings.session_hours * 3600),
        same_site="lax",
        https_only=settings.cookie_secure,
    )
    app.add_middleware(SecurityHeadersMiddleware)
    return app


class SecurityHeadersMiddleware:
    """Headers that keep the pages out of frames and scripts to the app's own files."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, with_headers)
