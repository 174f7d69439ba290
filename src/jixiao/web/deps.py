"""What a route asks for: a unit of work, the logged-in user, a checked CSRF token.

A login is the username in the signed session cookie; every request reads the user again
(`services.get_actor`), so a deactivated account is out at its next click. The CSRF token
(跨站请求伪造防护) is one random value per session: pages put it in a hidden `csrf_token`
field and in htmx's `hx-headers`; API clients send it as `X-CSRF-Token`. `check_csrf` runs
on every request of the app (app.py) and refuses any POST, PUT, PATCH or DELETE without it.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import Depends, Path, Request

from jixiao import services
from jixiao.domain.workflow import Actor, NotFound
from jixiao.storage.unit_of_work import UnitOfWork

# A record id as the databases store it (a 32-bit integer): anything larger is no record and
# must not reach a query, where PostgreSQL would refuse it as out of range.
MAX_ID = 2**31 - 1
RecordId = Annotated[int, Path(ge=1, le=MAX_ID)]
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class LoginRequired(Exception):
    """No one is logged in (or the account was deactivated): pages redirect, the API says 401."""


class CsrfRejected(Exception):
    """A changing request without this session's CSRF token: refused with 403."""


def get_uow(request: Request) -> UnitOfWork:
    return request.app.state.database.unit_of_work()


UowDep = Annotated[UnitOfWork, Depends(get_uow)]


def current_user(request: Request, uow: UowDep) -> Actor:
    username = request.session.get("user")
    if not username:
        raise LoginRequired
    try:
        return services.get_actor(uow, username)
    except NotFound:
        request.session.clear()
        raise LoginRequired from None


CurrentUser = Annotated[Actor, Depends(current_user)]


def optional_user(request: Request, uow: UowDep) -> Actor | None:
    try:
        return current_user(request, uow)
    except LoginRequired:
        return None


OptionalUser = Annotated[Actor | None, Depends(optional_user)]


def csrf_token(request: Request) -> str:
    """This session's token, created on first use (also before login: the login form has one)."""
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


def start_session(request: Request, actor: Actor) -> None:
    """Log `actor` in with a fresh session and a fresh CSRF token (no token outlives a login)."""
    request.session.clear()
    request.session["user"] = actor.username
    request.session["csrf"] = secrets.token_urlsafe(32)


async def check_csrf(request: Request) -> None:
    if request.method in SAFE_METHODS:
        return
    expected = request.session.get("csrf")
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(_FORM_TYPES):
        # Read once and cached by Starlette: the route's own form fields come from the same parse.
        value = (await request.form()).get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not expected or not sent or not hmac.compare_digest(expected.encode(), sent.encode()):
        raise CsrfRejected


CsrfDep = Annotated[None, Depends(check_csrf)]
