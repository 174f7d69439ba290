"""The web app (网页版): FastAPI pages and REST API over the store. Start it with `jixiao serve`
or `jixiao demo`; build it in code with `jixiao.web.app.create_app(settings)`.

Importing this package loads nothing: FastAPI comes in with `jixiao.web.app`.
"""
