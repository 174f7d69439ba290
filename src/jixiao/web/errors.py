"""How refusals reach the user: a page, a message in the page (htmx), or JSON (the API).

The services raise NotFound (also for what the user may not see), Forbidden, Conflict and
Invalid with a Chinese message; each becomes its HTTP status with that message. htmx
requests get the message swapped into the page's `#flash` area instead of the target.
"""

from __future__ import annotations

from http import HTTPStatus
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from jixiao.domain.workflow import Conflict, Forbidden, Invalid, NotFound, StoreError
from jixiao.web.deps import CsrfRejected, LoginRequired
from jixiao.web.rendering import is_htmx, render

STATUS_OF = {NotFound: 404, Forbidden: 403, Conflict: 409, Invalid: 422}
SERVER_ERROR = "服务器内部错误，请稍后重试；问题持续时请联系管理员"
CSRF_MESSAGE = "页面已过期或请求来源不明（CSRF 校验未通过），请刷新页面后重试"
LOGIN_MESSAGE = "请先登录"
STATUS_MESSAGES = {
    400: "请求格式不正确",
    401: LOGIN_MESSAGE,
    403: "没有权限",
    404: "页面不存在",
    405: "不支持该请求方式",
    422: "请求参数不正确",
}


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def refusal(request: Request, status: int, message: str) -> Response:
    """The same refusal as JSON, as a flash message for htmx, or as an error page."""
    if is_api(request):
        return JSONResponse({"detail": message}, status_code=status)
    if is_htmx(request):
        response = render(request, "_flash.html", status, message=message, level="error")
        response.headers["HX-Retarget"] = "#flash"
        response.headers["HX-Reswap"] = "innerHTML"
        return response
    return render(request, "error.html", status, message=message, status=status)


def install(app: FastAPI) -> None:
    """Register the handlers on the app."""

    @app.exception_handler(StoreError)
    async def store_error(request: Request, error: StoreError) -> Response:
        status = next((code for kind, code in STATUS_OF.items() if isinstance(error, kind)), 400)
        return refusal(request, status, str(error))

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, _: LoginRequired) -> Response:
        if is_api(request):
            return JSONResponse({"detail": LOGIN_MESSAGE}, status_code=401)
        target = "/login?next=" + quote(_return_path(request), safe="/")
        if is_htmx(request):
            return Response(status_code=204, headers={"HX-Redirect": target})
        return RedirectResponse(target, status_code=303)

    @app.exception_handler(CsrfRejected)
    async def csrf_rejected(request: Request, _: CsrfRejected) -> Response:
        return refusal(request, 403, CSRF_MESSAGE)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> Response:
        # Starlette's own refusals carry the English phrase ("Not Found"); the app's carry Chinese.
        standard = error.detail == HTTPStatus(error.status_code).phrase
        message = STATUS_MESSAGES.get(error.status_code, "请求未能完成") if standard else str(error.detail)
        response = refusal(request, error.status_code, message)
        response.headers.update(error.headers or {})
        return response

    @app.exception_handler(Exception)
    async def server_error(request: Request, _: Exception) -> Response:
        # The traceback still reaches the server log: Starlette re-raises after answering.
        return refusal(request, 500, SERVER_ERROR)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> Response:
        if is_api(request):
            return JSONResponse({"detail": STATUS_MESSAGES[422], "errors": _plain_errors(error)}, status_code=422)
        fields = "、".join(sorted({str(item["loc"][-1]) for item in error.errors() if item.get("loc")}))
        return refusal(request, 422, f"{STATUS_MESSAGES[422]}（{fields}）" if fields else STATUS_MESSAGES[422])


def _return_path(request: Request) -> str:
    """Where to go after logging in: the page asked for (an htmx fragment's page, not the fragment)."""
    if is_htmx(request):
        current = request.headers.get("HX-Current-URL", "")
        path = current.split("://", 1)[-1].partition("/")[2]
        return "/" + path if path else "/"
    return request.url.path + (f"?{request.url.query}" if request.url.query else "")


def _plain_errors(error: RequestValidationError) -> list[dict[str, object]]:
    return [{"loc": list(item.get("loc", ())), "msg": item.get("msg", "")} for item in error.errors()]
