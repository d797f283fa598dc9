"""A stand-in for the Hugging Face Hub on loopback: recorded answers in the shape of the Hub's API.

Serves GET /api/models/{repo}, GET /api/models?author=ORG (paginated with a Link header, as the
Hub does), and HEAD/GET /{repo}/resolve/{revision}/{file}. `slow` makes an answer wait longer
than any client should; `vanish_at` shuts the server down when that path is asked for.
"""

from __future__ import annotations

import hashlib
import http.server
import json
import threading
import time
from urllib.parse import parse_qs, unquote, urlsplit

PAGE = 50
SHA = "0123456789abcdef0123456789abcdef01234567"


def model_json(repo: str, *, licence: str | None = "apache-2.0", licence_name: str | None = None, gated: bool | str = False, parameters: int | None = None,
               pipeline_tag: str | None = "text-generation", base_model: str | list | None = None, created: str = "2025-01-20T10:00:00.000Z", files: tuple[str, ...] = ("config.json",)) -> dict:
    """A /api/models/{repo} answer as the Hub writes it (the fields huggingface_hub reads, and a few more)."""
    card = {key: value for key, value in {"license": licence, "license_name": licence_name, "base_model": base_model, "library_name": "transformers"}.items() if value is not None}
    tags = ["transformers", "safetensors"] + ([f"license:{licence}"] if licence else []) + ([pipeline_tag] if pipeline_tag else [])
    answer = {
        "_id": hashlib.md5(repo.encode()).hexdigest()[:24],
        "id": repo,
        "modelId": repo,
        "author": repo.split("/")[0],
        "sha": SHA,
        "lastModified": created,
        "createdAt": created,
        "private": False,
        "gated": gated,
        "disabled": False,
        "downloads": 1234,
        "likes": 56,
        "library_name": "transformers",
        "tags": tags,
        "pipeline_tag": pipeline_tag,
        "cardData": card,
        "siblings": [{"rfilename": name} for name in (*files, "README.md")],
        "spaces": [],
        "usedStorage": 1000,
    }
    if parameters is not None:
        answer["safetensors"] = {"parameters": {"BF16": parameters}, "total": parameters}
    return answer


class FakeHub:
    def __init__(self):
        self.models: dict[str, dict] = {}  # repo -> /api/models/{repo} answer
        self.files: dict[tuple[str, str], bytes] = {}  # (repo, file name) -> content
        self.requests: list[str] = []
        self.slow: set[str] = set()  # request paths answered after SLOW_SECONDS
        self.vanish_at: str | None = None  # a request path at which the server goes away
        hub = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                hub.answer(self, body=True)

            def do_HEAD(self):
                hub.answer(self, body=False)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    SLOW_SECONDS = 5.0

    def add(self, answer: dict, config: dict | None = None) -> None:
        self.models[answer["id"]] = answer
        if config is not None:
            self.files[(answer["id"], "config.json")] = json.dumps(config).encode()

    def answer(self, handler, body: bool) -> None:
        self.requests.append(handler.path)
        if self.vanish_at is not None and handler.path.startswith(self.vanish_at):
            handler.close_connection = True
            threading.Thread(target=self.close, daemon=True).start()
            return  # no answer at all: the connection just ends
        parts = urlsplit(handler.path)
        if any(parts.path.startswith(prefix) for prefix in self.slow):
            time.sleep(self.SLOW_SECONDS)
        path = unquote(parts.path)
        if path == "/api/models":
            return self._listing(handler, parse_qs(parts.query), body)
        if path.startswith("/api/models/"):
            repo = path.removeprefix("/api/models/").split("/revision/")[0]
            if repo in self.models:
                return self._send(handler, 200, json.dumps(self.models[repo]).encode(), "application/json", body)
            return self._send(handler, 404, b'{"error":"Repository not found"}', "application/json", body, {"X-Error-Code": "RepoNotFound", "X-Error-Message": "Repository not found"})
        if "/resolve/" in path:
            repo, _, rest = path.lstrip("/").partition("/resolve/")
            name = rest.split("/", 1)[1]
            content = self.files.get((repo, name))
            if content is None:
                return self._send(handler, 404, b"Entry not found", "text/plain", body, {"X-Error-Code": "EntryNotFound"})
            etag = '"' + hashlib.sha1(content).hexdigest() + '"'
            return self._send(handler, 200, content, "application/json", body, {"ETag": etag, "X-Repo-Commit": SHA})
        self._send(handler, 404, b"{}", "application/json", body)

    def _listing(self, handler, query: dict, body: bool) -> None:
        author = query.get("author", [""])[0]
        start = int(query.get("cursor", ["0"])[0])
        found = sorted((answer for repo, answer in self.models.items() if repo.split("/")[0] == author), key=lambda a: a["createdAt"], reverse=True)
        page = [{key: answer[key] for key in ("_id", "id", "createdAt", "pipeline_tag", "tags", "likes", "downloads", "private") if key in answer} for answer in found[start : start + PAGE]]
        headers = {}
        if start + PAGE < len(found):
            next_query = "&".join(f"{key}={value}" for key, values in query.items() if key != "cursor" for value in values)
            headers["Link"] = f'<{self.url}/api/models?{next_query}&cursor={start + PAGE}>; rel="next"'
        self._send(handler, 200, json.dumps(page).encode(), "application/json", body, headers)

    @staticmethod
    def _send(handler, status: int, content: bytes, kind: str, body: bool, headers: dict | None = None) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", kind)
        handler.send_header("Content-Length", str(len(content)))
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.end_headers()
        if body:
            handler.wfile.write(content)

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
