"""登录与退出: the login page, logging in and out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from jixiao import services
from jixiao.web.deps import OptionalUser, UowDep, start_session
from jixiao.web.rendering import render

router = APIRouter(include_in_schema=False)
HOME = "/forms"
WRONG_LOGIN = "用户名或密码不正确，或账号已停用"


def safe_next(target: str | None) -> str:
    """A local path to return to after login; anything else (another site, `//host`) goes home."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return HOME
    return target


@router.get("/")
def home(user: OptionalUser) -> RedirectResponse:
    return RedirectResponse(HOME if user else "/login", status_code=303)


@router.get("/login")
def login_page(request: Request, user: OptionalUser, next: str | None = None) -> Response:
    if user is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return render(request, "login.html", next=safe_next(next))


@router.post("/login")
def login(
    request: Request,
    uow: UowDep,
    username: Annotated[str, Form(max_length=80)],
    password: Annotated[str, Form(max_length=200)],
    next: Annotated[str, Form()] = HOME,
) -> Response:
    actor = services.authenticate(uow, username.strip(), password)
    if actor is None:
        return render(request, "login.html", 401, next=safe_next(next), username=username, message=WRONG_LOGIN)
    start_session(request, actor)
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/logout")
def logout(request: Request) -> RedirectResponse:
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
