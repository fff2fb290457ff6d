"""GraphiQL works with no internet: the page at GET /graphql references only assets the
app serves itself (gql/static/graphiql/, from scripts/vendor-graphiql), each of them is
served with its content type, and the files ship with the package."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import subprocess
import sys
import textwrap
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from gql.app import create_app
from gql.graphiql import SCRIPTS, STATIC_DIR, STYLES

ROOT = Path(__file__).resolve().parent.parent
BROWSER = {"accept": "text/html,application/xhtml+xml,*/*;q=0.8"}  # as Chromium sends it


class Page(HTMLParser):
    """Every URL-bearing attribute of a page, and its inline scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str]] = []  # (tag, url)
        self.inline_scripts: list[str] = []
        self._in_inline_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("src", "href", "srcset", "data", "poster", "action", "formaction"):
            if values.get(name):
                self.urls.append((tag, values[name] or ""))
        self._in_inline_script = tag == "script" and not values.get("src")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_inline_script = False

    def handle_data(self, data: str) -> None:
        if self._in_inline_script:
            self.inline_scripts.append(data)


async def graphiql_page(client: httpx.AsyncClient) -> tuple[httpx.Response, Page]:
    r = await client.get("/graphql", headers=BROWSER)
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    page = Page()
    page.feed(r.text)
    return r, page


def is_local(url: str) -> bool:
    """A URL the browser resolves against the page's own origin (or inline data)."""
    parts = urlsplit(url)
    if parts.scheme == "data":
        return True
    return parts.scheme == "" and parts.netloc == "" and url.startswith("/")


async def test_the_page_references_only_assets_the_app_serves(client):
    # when
    r, page = await graphiql_page(client)
    # then: every URL in the page is on this server (or a data: URL)...
    assert page.urls
    assert [url for _, url in page.urls if not is_local(url)] == []
    assert not re.search(r"https?://", r.text), "no absolute URL anywhere in the page"
    # ...and the page loads React, GraphiQL and the explorer plugin from them
    assets = [url for tag, url in page.urls if tag in ("script", "link") and url != "data:,"]
    paths = {urlsplit(url).path for url in assets}
    assert paths == {f"/static/{name}" for name in (*SCRIPTS, *STYLES)}
    scripts = [urlsplit(url).path for tag, url in page.urls if tag == "script"]
    assert scripts == [f"/static/{name}" for name in SCRIPTS], "React first, the plugin last"
    # ...each of which the app answers
    for url in assets:
        asset = await client.get(url)
        assert asset.status_code == 200, url
        expected = "text/css" if url.split("?")[0].endswith(".css") else "text/javascript"
        assert asset.headers["content-type"] == f"{expected}; charset=utf-8", url
        assert asset.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert asset.headers["x-content-type-options"] == "nosniff"
        assert len(asset.content) > 1000, url


async def test_asset_urls_change_when_the_files_do(client):
    # given
    _, page = await graphiql_page(client)
    # then: each URL carries a fingerprint of its file's bytes (so a year's cache is safe)
    for _, url in page.urls:
        if url.startswith("/static/"):
            parts = urlsplit(url)
            body = (STATIC_DIR / parts.path.removeprefix("/static/")).read_bytes()
            assert parts.query == f"v={hashlib.sha256(body).hexdigest()[:16]}"


async def test_the_stylesheets_load_nothing_from_elsewhere(client):
    # given
    _, page = await graphiql_page(client)
    for tag, url in page.urls:
        if tag != "link" or url == "data:,":
            continue
        css = (await client.get(url)).text
        # then: fonts and images are inline (data:), and nothing is @imported
        assert "@import" not in css
        for ref in re.findall(r"url\(\s*['\"]?([^'\")]+)", css):
            assert ref.startswith("data:") or ref.startswith("#"), ref


async def test_the_inline_script_wires_graphiql_to_graphql_with_headers_and_explorer(client):
    # when
    r, page = await graphiql_page(client)
    # then
    assert len(page.inline_scripts) == 1
    script = page.inline_scripts[0]
    config = json.loads(re.search(r"const config = (\{.*?\});\n", script).group(1))
    assert config["endpoint"] == "/graphql"
    assert "GraphiQL.createFetcher({ url: config.endpoint })" in script
    assert "GraphiQLPluginExplorer.explorerPlugin()" in script
    assert "plugins: [explorer]" in script
    # the README's "Headers pane" instructions: the headers editor is on (and open)
    assert "isHeadersEditorEnabled: true" in script
    assert 'defaultEditorToolsVisibility: "headers"' in script
    assert "Authorization" in config["defaultQuery"]
    # and the browser itself may fetch from nowhere else: the CSP allows this one
    # inline script (by its hash) and this origin only
    directives = r.headers["content-security-policy"].split("; ")
    csp = {name: value for name, _, value in (d.partition(" ") for d in directives)}
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert csp["script-src"] == f"'self' 'sha256-{digest}'"
    assert csp["default-src"] == "'self'"
    assert csp["connect-src"] == "'self'"
    assert "http" not in r.headers["content-security-policy"]


async def test_the_page_is_served_without_touching_the_database(settings):
    # given: an app whose lifespan never ran (no engine, no sessions)
    app = create_app(settings)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://test"
    ) as client:
        # when
        r = await client.get("/graphql", headers=BROWSER)
        asset = await client.get(f"/static/{SCRIPTS[0]}")
    # then
    assert r.status_code == 200
    assert "Ledgergraph GraphiQL" in r.text
    assert asset.status_code == 200


async def test_the_page_honours_the_root_path(settings):
    # given: the app behind a proxy that mounts it at /books
    app = create_app(settings)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, root_path="/books"), base_url="http://test"
    ) as client:
        # when
        r = await client.get("/books/graphql", headers=BROWSER)
    # then
    page = Page()
    page.feed(r.text)
    assert all(url.startswith("/books/static/") for tag, url in page.urls if tag == "script")
    assert '"endpoint": "/books/graphql"' in page.inline_scripts[0]


async def test_an_api_client_still_gets_graphql_not_the_page(client):
    # when
    r = await client.get("/graphql", params={"query": "{ __typename }"}, headers=BROWSER)
    # then
    assert r.status_code == 200
    assert "errors" not in r.json() and r.json()["data"] == {"__typename": "Query"}


async def test_an_unknown_static_file_is_404(client):
    r = await client.get("/static/graphiql/nope.js")
    assert r.status_code == 404
    r = await client.get("/static/../pyproject.toml")
    assert r.status_code == 404


def test_every_vendored_file_is_listed_in_versions():
    versions = (STATIC_DIR / "graphiql" / "VERSIONS").read_text()
    for name in ("graphiql", "@graphiql/plugin-explorer", "react", "react-dom"):
        assert re.search(rf"^{re.escape(name)}\s+\d+\.\d+\.\d+\s+MIT\s+sha512-", versions, re.M)
    for path in (STATIC_DIR / "graphiql").iterdir():
        if not path.name.startswith(("LICENSE", "VERSIONS")):
            assert path.name in versions


def test_the_assets_ship_in_the_package_and_are_found_when_installed(tmp_path):
    """What setuptools puts in the wheel (build_py: the packages and their package
    data, as pyproject.toml declares them), imported from there, serves the page."""
    # given: the distribution's files, built from a copy of the project
    source = tmp_path / "src"
    source.mkdir()
    shutil.copy(ROOT / "pyproject.toml", source)
    shutil.copy(ROOT / "README.md", source)
    shutil.copytree(ROOT / "gql", source / "gql", ignore=shutil.ignore_patterns("__pycache__"))
    built = tmp_path / "built"
    build = ["-c", "import setuptools; setuptools.setup()", "-q", "build_py"]
    subprocess.run(
        [sys.executable, *build, "--build-lib", str(built)],
        cwd=source,
        check=True,
        capture_output=True,
    )
    assert sorted(p.name for p in (built / "gql" / "static" / "graphiql").iterdir()) == sorted(
        p.name for p in (STATIC_DIR / "graphiql").iterdir()
    )
    # when: the built package (not the source tree) serves the page and its assets
    check = textwrap.dedent(
        """
        import re, sys
        from pathlib import Path
        from starlette.applications import Starlette
        from starlette.routing import Mount
        from starlette.testclient import TestClient
        import gql.graphiql as g

        assert Path(g.__file__).is_relative_to(sys.argv[1]), g.__file__
        app = Starlette(routes=[Mount(g.STATIC_PATH, app=g.StaticAssets())])
        page = g.graphiql_response().body.decode()
        urls = re.findall(r'(?:src|href)="(/static/[^"]+)"', page)
        assert len(urls) == 6, urls
        with TestClient(app) as client:
            for url in urls:
                r = client.get(url.replace("&amp;", "&"))
                assert r.status_code == 200 and len(r.content) > 1000, (url, r.status_code)
        print("ok", len(urls))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", check, str(built)],
        cwd=tmp_path,
        env={"PYTHONPATH": str(built), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )
    # then
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok 6"
