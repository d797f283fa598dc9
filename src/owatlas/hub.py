"""What the Hugging Face Hub says about a model repository, read with huggingface_hub.

The client honours HF_ENDPOINT and HF_TOKEN as huggingface_hub does, and config files go to its
usual cache. Everything the atlas takes from the Hub passes through `HubModel`.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

TIMEOUT_SECONDS = 20.0

# The Hub's licence tag -> the atlas's licence id. A repository tagged `other` names its licence
# in `license_name`; a `license_name` equal to an atlas licence id needs no entry here.
HUB_LICENCES = {
    "apache-2.0": "apache-2.0",
    "mit": "mit",
    "bsd-3-clause": "bsd-3-clause",
    "cc-by-nc-4.0": "cc-by-nc-4.0",
    "cc-by-sa-3.0": "cc-by-sa-3.0",
    "cc-by-sa-4.0": "cc-by-sa-4.0",
    "cc-by-nc-sa-4.0": "cc-by-nc-sa-4.0",
    "llama2": "llama-2-community-license",
    "llama3": "llama-3-community-license",
    "llama3.1": "llama-3.1-community-license",
    "llama3.2": "llama-3.2-community-license",
    "llama3.3": "llama-3.3-community-license",
    "llama4": "llama-4-community-license",
    "gemma": "gemma-terms-of-use",
    "bigscience-bloom-rail-1.0": "bigscience-bloom-rail-1.0",
}

# The Hub's pipeline tag -> the model's input and output modalities.
PIPELINE_MODALITIES = {
    "text-generation": (["text"], ["text"]),
    "text2text-generation": (["text"], ["text"]),
    "image-text-to-text": (["image", "text"], ["text"]),
    "video-text-to-text": (["text", "video"], ["text"]),
    "text-to-image": (["text"], ["image"]),
    "image-to-image": (["image", "text"], ["image"]),
    "text-to-video": (["text"], ["video"]),
    "image-to-video": (["image", "text"], ["video"]),
    "automatic-speech-recognition": (["audio"], ["text"]),
    "text-to-speech": (["text"], ["audio"]),
    "text-to-audio": (["text"], ["audio"]),
}

# config.json keys that state a context length; several disagreeing ones make it ambiguous.
CONTEXT_KEYS = ("max_position_embeddings", "n_positions", "max_sequence_length", "seq_length", "n_ctx")


class HubUnreachable(Exception):
    """The Hub could not be asked (no connection, a timeout, a server error): one line naming the endpoint."""


@dataclass
class HubModel:
    """One repository as the Hub describes it; `exists` is False for a missing (or private) one."""

    repo: str
    exists: bool = True
    gated: bool = False
    licence_tag: str | None = None  # 'apache-2.0', or 'other' with licence_name
    licence_name: str | None = None
    parameters: int | None = None  # safetensors metadata total
    pipeline_tag: str | None = None
    base_models: list[str] = field(default_factory=list)
    created: str | None = None  # YYYY-MM-DD: when the repository was created, not the release
    context_length: int | None = None

    def licence(self, known: set[str]) -> str | None:
        """The atlas licence id the Hub's tag names, or None when it names none the atlas knows."""
        if self.licence_tag in HUB_LICENCES:
            return HUB_LICENCES[self.licence_tag]
        if self.licence_tag == "other" and self.licence_name in known:
            return self.licence_name
        return None

    def licence_text(self) -> str:
        return f"'{self.licence_tag}' (license_name '{self.licence_name}')" if self.licence_name else f"'{self.licence_tag}'"

    @property
    def page(self) -> str:
        return f"https://huggingface.co/{self.repo}"


def endpoint() -> str:
    from huggingface_hub import constants

    return (os.environ.get("HF_ENDPOINT") or constants.ENDPOINT).rstrip("/")


@dataclass
class Hub:
    """A huggingface_hub client and how long to wait for each answer."""

    client: object
    timeout: float = TIMEOUT_SECONDS


def connect(timeout: float = TIMEOUT_SECONDS) -> Hub:
    from huggingface_hub import HfApi
    from huggingface_hub.utils import logging

    logging.set_verbosity_error()  # its retry notices would bury the one line that says what failed
    return Hub(HfApi(endpoint=endpoint(), token=os.environ.get("HF_TOKEN") or None), timeout)


def model(hub: Hub, repo: str, *, config: bool = False) -> HubModel:
    """The Hub's description of `repo`; with `config`, also the context length its config.json states."""
    from huggingface_hub.errors import RepositoryNotFoundError

    try:
        info = hub.client.model_info(repo, timeout=hub.timeout)
    except RepositoryNotFoundError:
        return HubModel(repo, exists=False)
    except Exception as error:  # noqa: BLE001  connection refused, timeout, 5xx: the run cannot go on
        raise _unreachable(error) from None
    card = info.card_data.to_dict() if info.card_data is not None else {}
    base = card.get("base_model") or []
    found = HubModel(
        repo=info.id,
        gated=bool(info.gated),
        licence_tag=card.get("license") or _licence_from_tags(info.tags),
        licence_name=card.get("license_name"),
        parameters=(info.safetensors.total if info.safetensors is not None else None),
        pipeline_tag=info.pipeline_tag,
        base_models=[base] if isinstance(base, str) else list(base),
        created=info.created_at.date().isoformat() if info.created_at else None,
    )
    if config and any(sibling.rfilename == "config.json" for sibling in info.siblings or []):
        found.context_length = _context_length(hub, repo)
    return found


def organisation_models(hub: Hub, organisation: str, limit: int = 1000) -> list[HubModel]:
    """The organisation's public model repositories, newest first."""
    try:
        listed = list(hub.client.list_models(author=organisation, sort="created_at", limit=limit, expand=["createdAt", "pipeline_tag"]))
    except Exception as error:  # noqa: BLE001
        raise _unreachable(error) from None
    found = [HubModel(item.id, pipeline_tag=item.pipeline_tag, created=item.created_at.date().isoformat() if item.created_at else None) for item in listed]
    return sorted(found, key=lambda item: (item.created or "", item.repo), reverse=True)


def _context_length(hub: Hub, repo: str) -> int | None:
    """The context length config.json states, when exactly one value is stated at its top level."""
    from huggingface_hub import hf_hub_download
    from huggingface_hub.errors import EntryNotFoundError

    try:
        path = hf_hub_download(repo, "config.json", endpoint=endpoint(), token=os.environ.get("HF_TOKEN") or None, etag_timeout=hub.timeout)
        config = json.loads(Path(path).read_text(encoding="utf-8"))
    except (EntryNotFoundError, ValueError):
        return None  # listed but not served, or not JSON: no context length from it
    except Exception as error:  # noqa: BLE001
        raise _unreachable(error) from None
    values = {config[key] for key in CONTEXT_KEYS if isinstance(config.get(key), int) and config[key] > 0}
    return values.pop() if len(values) == 1 else None


def _licence_from_tags(tags: list[str] | None) -> str | None:
    return next((tag.removeprefix("license:") for tag in tags or [] if tag.startswith("license:")), None)


def _unreachable(error: Exception) -> HubUnreachable:
    detail = " ".join(str(error).split())[:200] or type(error).__name__
    return HubUnreachable(f"cannot reach the Hugging Face Hub at {endpoint()}: {detail}")
