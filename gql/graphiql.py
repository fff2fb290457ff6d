"""GraphiQL at GET /graphql, served entirely from the package: no request leaves the
machine, so it works offline.

The page is ours (not strawberry's, whose page loads React and GraphiQL from a CDN);
its scripts and styles are the npm builds that scripts/vendor-graphiql copies into
gql/static/graphiql/ (versions and licences in its VERSIONS file), served under
/static/ with long cache headers. Each asset URL carries a fingerprint of the file's
bytes, so a browser never keeps an old copy after the files change.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import os
from html import escape
from pathlib import Path

from starlette.responses import HTMLResponse, Response
from starlette.staticfiles import PathLike, StaticFiles
from starlette.types import Scope

# The package's own directory, so the files are found wherever the package is
# installed (they ship as package data: pyproject.toml).
STATIC_DIR = Path(__file__).with_name("static")
STATIC_PATH = "/static"  # where the app mounts StaticAssets
GRAPHQL_PATH = "/graphql"

# In load order: React before GraphiQL's UMD bundle (which reads window.React and
# window.ReactDOM), GraphiQL before the explorer plugin (which reads window.GraphiQL).
SCRIPTS = (
    "graphiql/react.production.min.js",
    "graphiql/react-dom.production.min.js",
    "graphiql/graphiql.min.js",
    "graphiql/plugin-explorer.umd.js",
)
STYLES = ("graphiql/graphiql.min.css", "graphiql/plugin-explorer.css")

# Fixed rather than guessed from the platform's mime.types (which differ by machine).
CONTENT_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".json": "application/json",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".woff2": "font/woff2",
}
CACHE_FOREVER = "public, max-age=31536000, immutable"

WELCOME = """\
# Ledgergraph GraphiQL, served by this server:
# it needs no internet.
#
# 1. Log in:
#
#   mutation {
#     login(input: {email: "...", password: "..."}) {
#       token
#       userErrors { field message }
#     }
#   }
#
# 2. In the Headers pane below, paste your token:
#
#   {"Authorization": "Bearer <token>"}
#
#   and "X-Company-Id": "<company objectId>" to
#   choose a company (else: your default one).
#
# 3. Ctrl-Space completes, Ctrl-Enter runs. On the
#   left: the docs (book) and the explorer.

{
  viewer {
    user { name email }
    company { objectId name }
    memberships { company { objectId name } }
  }
}
"""

# The page's inline script; __CONFIG__ becomes a JSON object (endpoint, welcome text).
SCRIPT = """
const config = __CONFIG__;
const fetcher = GraphiQL.createFetcher({ url: config.endpoint });
const explorer = GraphiQLPluginExplorer.explorerPlugin();
ReactDOM.createRoot(document.getElementById("graphiql")).render(
  React.createElement(GraphiQL, {
    fetcher: fetcher,
    plugins: [explorer],
    defaultQuery: config.defaultQuery,
    defaultEditorToolsVisibility: "headers",
    isHeadersEditorEnabled: true,
    shouldPersistHeaders: true,
    inputValueDeprecation: true,
  }),
);
"""

PAGE = """<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Ledgergraph GraphiQL</title>
    <link rel="icon" href="data:,">
{styles}
    <style>
      body {{ margin: 0; height: 100vh; overflow: hidden; }}
      #graphiql {{ height: 100vh; }}
    </style>
  </head>
  <body>
    <div id="graphiql">Loading GraphiQL...</div>
{scripts}
    <script>{script}</script>
  </body>
</html>
"""


@functools.cache
def fingerprint(name: str) -> str:
    """A short hash of a static file's bytes (read once per process)."""
    return hashlib.sha256((STATIC_DIR / name).read_bytes()).hexdigest()[:16]


def asset_url(name: str, root_path: str = "") -> str:
    return f"{root_path}{STATIC_PATH}/{name}?v={fingerprint(name)}"


def json_for_script(value: object) -> str:
    """JSON that cannot end the <script> element it sits in."""
    return (
        json.dumps(value)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


@functools.cache
def _page(root_path: str) -> tuple[str, str]:
    """The page and its Content-Security-Policy, for one root path."""
    config = {"endpoint": f"{root_path}{GRAPHQL_PATH}", "defaultQuery": WELCOME}
    script = SCRIPT.replace("__CONFIG__", json_for_script(config))
    styles = "\n".join(
        f'    <link rel="stylesheet" href="{escape(asset_url(name, root_path))}">'
        for name in STYLES
    )
    scripts = "\n".join(
        f'    <script src="{escape(asset_url(name, root_path))}"></script>' for name in SCRIPTS
    )
    html = PAGE.format(styles=styles, scripts=scripts, script=script)
    script_hash = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    # The browser itself refuses anything from another origin: scripts are ours or the
    # one inline script (by its hash); fonts and images inside the CSS are data: URLs.
    csp = "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'sha256-{script_hash}'",
            "style-src 'self' 'unsafe-inline'",  # GraphiQL sets styles at run time
            "img-src 'self' data:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )
    return html, csp


def graphiql_response(root_path: str = "") -> Response:
    html, csp = _page(root_path)
    return HTMLResponse(
        html,
        headers={
            "content-security-policy": csp,
            "cache-control": "no-cache",  # small, and names the current asset versions
            "x-content-type-options": "nosniff",
            "referrer-policy": "no-referrer",
        },
    )


class StaticAssets(StaticFiles):
    """The package's static files (gql/static/), cached for a year: the URLs the pages
    use carry a fingerprint, so a changed file is a new URL."""

    def __init__(self) -> None:
        super().__init__(directory=STATIC_DIR)

    def file_response(
        self,
        full_path: PathLike,
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        content_type = CONTENT_TYPES.get(Path(full_path).suffix)
        if content_type is not None and response.status_code == 200:
            response.headers["content-type"] = content_type
        response.headers["cache-control"] = CACHE_FOREVER
        response.headers["x-content-type-options"] = "nosniff"
        return response
