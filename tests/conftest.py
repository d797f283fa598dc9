"""Shared fixtures: a small, valid records tree that tests copy and then break on purpose."""

from __future__ import annotations

import http.server
import textwrap
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BROWSER_FIXTURES = {"chromium", "browser", "page"}


def pytest_collection_modifyitems(items):
    """Mark the tests that drive the browser, so that platforms without Debian's Chromium can leave them out."""
    for item in items:
        if BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)

SOURCE = """\
  - url: https://example.org/{topic}
    title: About {topic}
    publisher: Example
    published: '2024-01-02'
    accessed: '2026-11-01'
    supports: [{supports}]
"""

MINI_TREE = {
    "companies/acme.yaml": """\
        id: acme
        name: Acme AI
        legal_name: null
        aliases: [アクメ]
        kind: company
        country: 'NO'
        headquarters: Oslo
        founded: '2020-05'
        parent: null
        website: https://acme.example/
        wikidata: null
        sources:
        {source:acme:name, aliases, country, headquarters, founded, website}
        notes: null
        """,
    "companies/acme-labs.yaml": """\
        id: acme-labs
        name: Acme Labs
        kind: research-firm
        country: US
        parent: acme
        sources:
        {source:acme-labs:name, country, parent}
        """,
    "licences/acme-licence.yaml": """\
        id: acme-licence
        name: Acme Open Model Licence
        spdx_id: null
        url: https://acme.example/licence
        osi_approved: false
        kind: restricted
        commercial_use: true
        mau_threshold: 700000000
        monthly_revenue_threshold_usd: null
        threshold_terms: Above the threshold a separate licence is needed.
        attribution: Built with Acme
        acceptable_use_policy: https://acme.example/aup
        restricts_output_training: true
        excluded_territories: [EU]
        sources:
        {source:licence:name, url, osi_approved, commercial_use, mau_threshold, threshold_terms, attribution, acceptable_use_policy, restricts_output_training, excluded_territories}
        """,
    "licences/acme-research-licence.yaml": """\
        id: acme-research-licence
        name: Acme Research Licence
        url: https://acme.example/research-licence
        osi_approved: false
        kind: non-commercial
        commercial_use: false
        sources:
        {source:research-licence:name, url, osi_approved, commercial_use}
        """,
    "models/acme-1.yaml": """\
        id: acme-1
        name: Acme-1
        family: Acme 1
        developers: [acme, acme-labs]
        announced: '2023-12-12'
        released: '2024-01-02'
        parameters:
          total: 46700000000
          active: 12900000000
          approximate: true
        architecture: moe
        modalities:
          input: [text, image]
          output: [text]
        context_length: 32768
        licence: acme-licence
        licence_changes:
          - date: '2024-06'
            from_licence: acme-research-licence
            to_licence: acme-licence
            source: https://example.org/acme-1
        code_licence: acme-licence
        weights:
          - repository: acme/acme-1
            variant: base
            licence: null
          - repository: https://acme.example/weights/acme-1.tar
            variant: instruct
            licence: acme-research-licence
        access: gated
        base_model: null
        training:
          tokens: 2000000000000
          compute_flop: '3.8e23'
          gpu_hours: 120000
          hardware: Acme TPU v1
        openness:
          base_weights: open
          tuned_weights: open
          training_code: closed
          training_data: partial
          model_card: open
          technical_report: open
          peer_reviewed_paper: closed
          technical_report_url: https://arxiv.org/abs/0000.00000
        sources:
        {source:acme-1:name, developers, announced, released, parameters, architecture, modalities, context_length, licence, licence_changes, code_licence, weights, access, training, openness}
        notes: "Line one, with a comma and \\"quotes\\".\\nLine two."
        """,
    "models/acme-1-mini.yaml": """\
        id: acme-1-mini
        name: Acme-1 Mini
        family: Acme 1
        developers: [acme]
        released: 2024
        parameters:
          total: 7241732096
        architecture: dense
        modalities:
          input: [text]
          output: [text]
        licence: acme-licence
        access: open
        base_model: acme-1
        evaluations:
          - benchmark: acme-bench
            score: '61.50'
            setting: 5-shot, chain of thought
            shots: 5
            reporter: acme
            source: https://example.org/leaderboard
        sources:
        {source:acme-1-mini:name, developers, released, parameters.total, architecture, modalities, licence, access, base_model}
        {source:leaderboard:evaluations}
        """,
    "benchmarks/acme-bench.yaml": """\
        id: acme-bench
        name: Acme Bench 2024
        measures: Multiple-choice questions about anvils.
        url: https://acme.example/bench
        metric: accuracy, %
        scale_min: 0
        scale_max: 100
        higher_is_better: true
        caveats: Questions are public, so models may have trained on them.
        sources:
        {source:bench:name, measures, url, metric, scale_min, scale_max, higher_is_better, caveats}
        """,
    "quotes/jane-open-weights.yaml": """\
        id: jane-open-weights
        text: "Open weights are here to stay, and that's fine."
        kind: direct
        speaker:
          name: Jane Doe
          role: Chief Scientist
          company: acme
        said: '2024-02'
        about:
          models: [acme-1]
          companies: [acme, acme-labs]
        topics: [open-weights, us-china]
        language: en
        sources:
        {source:interview:text, speaker, said}
        """,
    "retired.yaml": """\
        models:
          - id: acme-0
            retired: '2026-01-05'
            reason: duplicate of acme-1
            replaced_by: acme-1
        """,
}


def render(text: str) -> str:
    """Expand the {source:topic:fields} placeholders of a MINI_TREE template."""
    lines = []
    for line in textwrap.dedent(text).splitlines(keepends=True):
        if line.startswith("{source:"):
            topic, supports = line.strip()[len("{source:") : -1].split(":", 1)
            lines.append(SOURCE.format(topic=topic, supports=supports))
        else:
            lines.append(line)
    return "".join(lines)


@pytest.fixture
def tree(tmp_path, monkeypatch) -> Path:
    """A checkout-like folder with valid records; the working directory is its root."""
    for relative, template in MINI_TREE.items():
        path = tmp_path / "records" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(template), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(tree: Path, relative: str, content: str | bytes) -> Path:
    """Write records/<relative> in `tree` (text is dedented; bytes are written as they are)."""
    path = tree / "records" / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(render(content), encoding="utf-8")
    return path


def edit(tree: Path, relative: str, old: str, new: str) -> Path:
    """Replace `old` (which must be there) by `new` in records/<relative>."""
    path = tree / "records" / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {relative}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


class ReleaseServer:
    """Serves a folder of releases; `tamper` maps a URL path to the bytes served instead."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.requests: list[str] = []
        self.tamper: dict[str, bytes] = {}
        self.cut: set[str] = set()
        self.slow: set[str] = set()
        server = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=str(folder), **kwargs)

            def do_GET(self):
                server.requests.append(self.path)
                if self.path in server.slow:
                    body = (folder / self.path.lstrip("/")).read_bytes()
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    for start in range(0, len(body), 512):
                        self.wfile.write(body[start : start + 512])
                        self.wfile.flush()
                        time.sleep(0.05)
                    return
                if self.path in server.tamper or self.path in server.cut:
                    body = server.tamper.get(self.path) or (folder / self.path.lstrip("/")).read_bytes()
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body[: len(body) // 2] if self.path in server.cut else body)
                    return
                super().do_GET()

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's Chromium for the browser tests; installed with apt-get when missing and we may."""
    import os
    import shutil
    import subprocess

    if not CHROMIUM.exists() and shutil.which("apt-get") and os.geteuid() == 0:
        subprocess.run(["apt-get", "update", "-qq"], check=False, capture_output=True, timeout=600)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=False, capture_output=True, timeout=900, env=os.environ | {"DEBIAN_FRONTEND": "noninteractive"})
    assert CHROMIUM.exists(), "the browser tests need Debian's chromium: apt-get install chromium"
    return CHROMIUM
