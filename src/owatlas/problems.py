"""A problem found in a record file, and the ways to print one."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one record file, with where it stands and a stable code."""

    path: str
    line: int
    column: int
    record: str
    field: str
    message: str
    code: str

    def text(self) -> str:
        field = f"{self.field}: " if self.field else ""
        return f"{self.path}:{self.line}:{self.column}: {self.record}: {field}{self.message} [{self.code}]"

    def github(self) -> str:
        field = f"{self.field}: " if self.field else ""
        message = _escape_data(f"{self.record}: {field}{self.message}")
        props = f"file={_escape_property(self.path)},line={self.line},col={self.column},title={self.code}"
        return f"::error {props}::{message}"

    def json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)


def field_name(path: tuple) -> str:
    """('sources', 0, 'url') -> 'sources[0].url'."""
    name = ""
    for part in path:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name


def summary(command: str, problems: list[Problem]) -> str:
    files = len({p.path for p in problems})
    noun = "problem" if len(problems) == 1 else "problems"
    return f"owatlas {command}: {len(problems)} {noun} in {files} file{'' if files == 1 else 's'}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
