"""The API docs of a REST dialect: its OpenAPI document (`<prefix>/openapi.json`,
generated once per app from the routes: gql/rest/openapi.py) and an offline Swagger UI
page (`<prefix>/docs`) whose assets are the package's own (scripts/vendor-swagger-ui),
so no request leaves the machine; "try it" sends to this server."""

from __future__ import annotations

import base64
import hashlib
from functools import cache
from html import escape

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route

from gql.graphiql import asset_url, json_for_script
from gql.rest.numbors import json_response
from gql.rest.openapi import Dialect, document

SCRIPTS = ("swagger-ui/swagger-ui-bundle.js",)
STYLES = ("swagger-ui/swagger-ui.css",)

# The page's inline script; __CONFIG__ becomes a JSON object (the document's URL).
SCRIPT = """
const config = __CONFIG__;
window.ui = SwaggerUIBundle({
  url: config.url,
  dom_id: "#swagger-ui",
  deepLinking: true,
  persistAuthorization: true,
  tryItOutEnabled: true,
  validatorUrl: null,
});
"""

PAGE = """<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>{title}</title>
    <link rel="icon" href="data:,">
{styles}
  </head>
  <body>
    <div id="swagger-ui">Loading the API docs...</div>
{scripts}
    <script>{script}</script>
  </body>
</html>
"""


@cache
def _page(root_path: str, prefix: str, title: str) -> tuple[str, str]:
    """The page and its Content-Security-Policy."""
    config = {"url": f"{root_path}{prefix}/openapi.json"}
    script = SCRIPT.replace("__CONFIG__", json_for_script(config))
    styles = "\n".join(
        f'    <link rel="stylesheet" href="{escape(asset_url(n, root_path))}">' for n in STYLES
    )
    scripts = "\n".join(
        f'    <script src="{escape(asset_url(n, root_path))}"></script>' for n in SCRIPTS
    )
    html = PAGE.format(title=escape(title), styles=styles, scripts=scripts, script=script)
    script_hash = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    # As GraphiQL's: the browser itself refuses anything from another origin.
    csp = "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'sha256-{script_hash}'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )
    return html, csp


def docs_routes(dialect: Dialect) -> list[BaseRoute]:
    """`/openapi.json` and `/docs`, to mount under the dialect's prefix beside its routes."""

    async def openapi_json(request: Request) -> Response:
        # Generated on first use from the app's own routes, then kept.
        cached = request.app.state.__dict__.setdefault("openapi_documents", {})
        if dialect.prefix not in cached:
            cached[dialect.prefix] = document(request.app.routes, dialect)
        return json_response(cached[dialect.prefix])

    async def docs(request: Request) -> Response:
        # The app's root path (behind a proxy), not the mount's (which ends in the prefix).
        root_path = request.scope.get("app_root_path", "")
        html, csp = _page(root_path, dialect.prefix, dialect.title)
        return HTMLResponse(
            html,
            headers={
                "content-security-policy": csp,
                "cache-control": "no-cache",
                "x-content-type-options": "nosniff",
                "referrer-policy": "no-referrer",
            },
        )

    return [
        Route("/openapi.json", openapi_json, methods=["GET"]),
        Route("/docs", docs, methods=["GET"]),
    ]
