"""Load the atlas's tables: the release bundled in the package, or any other release on request.

Other releases are fetched with pooch from `{base}/{version}/`: first `SHA256SUMS`, then the files
asked for, each checked against its SHA-256 before it is moved into the per-version cache. Nothing
heavy is imported here at module level, so `import owatlas` stays light.
"""

from __future__ import annotations

import json
import os
import tempfile
from functools import cache
from pathlib import Path

DEFAULT_BASE_URL = "https://github.com/open-weight-atlas/open-weight-atlas/releases/download"
BASE_URL_VARIABLE = "OWATLAS_BASE_URL"
CACHE_VARIABLE = "OWATLAS_CACHE"
CHECKSUMS = "SHA256SUMS"
DESCRIPTOR = "datapackage.json"
FORMATS = ("pandas", "arrow", "polars")
KINDS = ("parquet", "csv")
TIMEOUT_SECONDS = 30
RETRIES = 2

_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE.parents[1]


class LoadError(Exception):
    """A table, version or format that cannot be had, with what to do instead."""


def bundled_release() -> Path | None:
    """The release shipped inside the package; in a development checkout, its build/ folder."""
    for candidate in (_PACKAGE / "release", _CHECKOUT / "build"):
        if (candidate / DESCRIPTOR).is_file():
            return candidate
    return None


def bundled_descriptor() -> dict:
    """The bundled release's datapackage.json (in a checkout without a build, the root one)."""
    for candidate in (bundled_release(), _CHECKOUT):
        if candidate is not None and (candidate / DESCRIPTOR).is_file():
            return json.loads((candidate / DESCRIPTOR).read_text(encoding="utf-8"))
    return {"resources": [], "version": None}


def tables() -> list[str]:
    """Names of the tables in a release, e.g. 'models', 'companies', 'model_developers', 'sources'."""
    return [resource["name"] for resource in bundled_descriptor()["resources"]]


def bundled_version() -> str | None:
    return bundled_descriptor().get("version")


def cache_dir() -> Path:
    """Where fetched releases are kept: $OWATLAS_CACHE, else the user's cache folder."""
    configured = os.environ.get(CACHE_VARIABLE)
    if configured:
        return Path(configured)
    import pooch

    return Path(pooch.os_cache("owatlas"))


def versions() -> list[str]:
    """The data versions available without a download: the bundled one, then those in the cache."""
    found = [bundled_version()] if bundled_release() is not None else []
    folder = cache_dir()
    if folder.is_dir():
        found += sorted(child.name for child in folder.iterdir() if (child / CHECKSUMS).is_file() and child.name not in found)
    return [version for version in found if version]


def path(table: str, *, version: str | None = None, kind: str = "parquet", base_url: str | None = None) -> Path:
    """Local path of a table's file ('parquet' or 'csv'), fetching release `version` if needed."""
    _check_choice("table", table, tables())
    _check_choice("kind", kind, KINDS)
    name = f"{kind}/{table}.{kind}"
    if version is None or version == bundled_version():
        release = bundled_release()
        if release is None:
            raise LoadError("this installation has no bundled release; in a checkout, run `owatlas build` first")
        return release / name
    return _fetch(version, name, base_url)


def _check_choice(what: str, value: str, choices) -> None:
    if value not in choices:
        raise LoadError(f"unknown {what} {value!r}; expected one of: {', '.join(choices)}")


def _fetch(version: str, name: str, base_url: str | None) -> Path:
    import pooch
    import requests

    base = (base_url or os.environ.get(BASE_URL_VARIABLE) or DEFAULT_BASE_URL).rstrip("/")
    url = f"{base}/{version}/"
    folder = cache_dir() / version
    try:
        registry = _registry(url, folder)
        name = _remote_name(name, registry)
        if name is None:
            raise LoadError(f"release {version} at {url} has no file for that table")
        # pooch creates a file's folder without exist_ok: two processes at once would race on it.
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        store = pooch.create(path=folder, base_url=url, registry=registry, retry_if_failed=RETRIES)
        downloader = pooch.HTTPDownloader(timeout=TIMEOUT_SECONDS)
        return Path(store.fetch(name, downloader=downloader))
    except requests.HTTPError as error:
        status = error.response.status_code if error.response is not None else "?"
        if status == 404:
            raise LoadError(f"release {version!r} not found: {error.request.url} answered 404; known versions here: {', '.join(versions()) or 'none'}") from None
        raise LoadError(f"could not download release {version} from {url}: HTTP {status}") from None
    except (requests.ConnectionError, requests.Timeout) as error:
        raise LoadError(
            f"could not reach {url} ({type(error).__name__}); to work offline, use the bundled release "
            f"(version=None) or a cached version ({', '.join(versions()) or 'none cached'}); "
            f"set {BASE_URL_VARIABLE} to use another server"
        ) from None
    except requests.RequestException as error:
        raise LoadError(f"download of {name} from {url} failed ({type(error).__name__}); nothing was cached, try again") from None
    except ValueError as error:
        if "does not match the known hash" in str(error):
            raise LoadError(f"checksum mismatch for {name} of release {version} from {url}: the download was refused and not cached ({error})") from None
        raise


def _remote_name(name: str, registry: dict[str, str]) -> str | None:
    """'parquet/models.parquet' as a release lists it: in its folder, or flat (a release page's assets)."""
    for candidate in (name, name.rsplit("/", 1)[-1]):
        if candidate in registry:
            return candidate
    return None


def _registry(url: str, folder: Path) -> dict[str, str]:
    """The release's SHA256SUMS as a pooch registry; fetched once, kept only when it parses."""
    cached = folder / CHECKSUMS
    if cached.is_file():
        return _parse_checksums(cached.read_text(encoding="utf-8"), url)
    import pooch

    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder) as scratch:
        downloaded = Path(pooch.retrieve(url + CHECKSUMS, known_hash=None, path=scratch, fname=CHECKSUMS, downloader=pooch.HTTPDownloader(timeout=TIMEOUT_SECONDS)))
        text = downloaded.read_text(encoding="utf-8")
        registry = _parse_checksums(text, url)
        os.replace(downloaded, cached)
    return registry


def _parse_checksums(text: str, url: str) -> dict[str, str]:
    registry = {}
    for number, line in enumerate(text.splitlines(), start=1):
        digest, _, name = line.partition("  ")
        if len(digest) != 64 or not name or any(c not in "0123456789abcdef" for c in digest):
            raise LoadError(f"{url}{CHECKSUMS} line {number} is not '<sha256>  <file>': {line[:80]!r}")
        registry[name] = f"sha256:{digest}"
    return registry


def load(table: str, *, version: str | None = None, format: str = "pandas", base_url: str | None = None):
    """Load one table of the atlas.

    `version=None` reads the release bundled in the package (no network); another version is
    fetched once from `{base_url}/{version}/` (default: $OWATLAS_BASE_URL, else the project's
    release downloads), checked against its SHA-256 and cached. `format` is 'pandas' (a
    DataFrame), 'arrow' (a pyarrow.Table) or 'polars' (a polars.DataFrame, if installed).
    """
    _check_choice("format", format, FORMATS)
    file = path(table, version=version, kind="parquet", base_url=base_url)
    if format == "polars":
        try:
            import polars
        except ImportError:
            raise LoadError("format='polars' needs polars: pip install polars") from None
        return polars.read_parquet(file)
    import pyarrow.parquet as pq

    arrow = pq.ParquetFile(file).read()
    return arrow if format == "arrow" else arrow.to_pandas()


@cache
def data_dictionary() -> str:
    """The tables and columns of a release, with their descriptions, from its datapackage.json."""
    lines = ["", "Tables and columns", "------------------"]
    for resource in bundled_descriptor()["resources"]:
        lines += ["", f"{resource['name']}: {resource.get('description', '')}"]
        for field in resource["schema"]["fields"]:
            lines.append(f"    {field['name']} ({field['type']}): {field.get('description', '')}")
    return "\n".join(lines)


load.__doc__ = (load.__doc__ or "") + data_dictionary()
