"""One router per resource: pages (auth, forms, findings, uploads, dashboard, exports, users) and the REST API (api)."""
