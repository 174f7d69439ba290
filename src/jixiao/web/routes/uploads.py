"""上传: import one or many files; each file's result (new forms, new versions, unchanged,
or why nothing of it was stored) is shown as soon as it is in.

The page sends one request per file (static/app.js) so that each shows its own progress
bar and result; without JavaScript the form posts all files at once. The request size is
limited before the body is read (body_limit.py).
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response

from jixiao import services
from jixiao.domain.workflow import Actor, Role
from jixiao.storage.unit_of_work import UnitOfWork
from jixiao.web.deps import CurrentUser, UowDep
from jixiao.web.rendering import is_htmx, render

router = APIRouter(include_in_schema=False)
UPLOAD_PATH = "/uploads"
MAX_FILES = 100
_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def import_uploads(
    uow: UnitOfWork, user: Actor, files: list[UploadFile], *, unit: str | None = None, year: int | None = None
) -> services.ImportReport:
    """Store the uploaded files under their own names in a fresh directory and import them.

    The readers tell formats by their content and name the file in errors and sources, so
    each upload keeps its name; the directory is removed once the forms are in the store.
    """
    if not files:
        raise services.Invalid("请选择要上传的文件")
    if len(files) > MAX_FILES:
        raise services.Invalid(f"一次最多上传{MAX_FILES}个文件")
    directory = Path(tempfile.mkdtemp(prefix="jixiao-upload-"))
    try:
        paths = []
        for index, upload in enumerate(files, 1):
            target = directory / str(index) / upload_name(upload.filename)
            target.parent.mkdir()
            with target.open("wb") as out:
                shutil.copyfileobj(upload.file, out)
            paths.append(target)
        return services.import_files(paths, uow, user=user, unit=unit or None, year=year)
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def upload_name(filename: str | None) -> str:
    """The file's own name without any directory a browser sent, safe on any file system."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE_NAME.sub("_", name).strip(" .")
    return name[-120:] or "上传文件"


@router.get(UPLOAD_PATH)
def upload_page(request: Request, user: CurrentUser, uow: UowDep) -> Response:
    organisations = services.list_organisations(uow, user) if user.role is not Role.FILLER else []
    return render(request, "uploads/page.html", user=user, organisations=organisations)


@router.post(UPLOAD_PATH)
def upload(
    request: Request,
    user: CurrentUser,
    uow: UowDep,
    files: Annotated[list[UploadFile], File()],
    unit: Annotated[str, Form(max_length=200)] = "",
    year: Annotated[str, Form(max_length=4)] = "",
) -> Response:
    chosen_year = int(year) if year.isdigit() else None
    report = import_uploads(uow, user, files, unit=unit if user.role is not Role.FILLER else None, year=chosen_year)
    names = [upload_name(item.filename) for item in files]
    results = list(zip(names, report.files, strict=True))
    if is_htmx(request):
        return render(request, "uploads/_results.html", results=results)
    return render(request, "uploads/page.html", user=user, results=results, organisations=[])
