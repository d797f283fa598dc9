"""The value types records are made of, each checked with a precise message and a stable code."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator, BeforeValidator, Field, PlainSerializer, WithJsonSchema
from pydantic_core import PydanticCustomError

ID_PATTERN = r"^[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?$"
PARTIAL_DATE_PATTERN = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"
HF_REPO_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$"
LANGUAGE_PATTERN = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"
WIKIDATA_PATTERN = r"^Q[1-9][0-9]*$"
FLOPS_PATTERN = r"^[1-9](\.[0-9]*[1-9])?e[1-9][0-9]?$"
SCORE_PATTERN = r"^-?(0|[1-9][0-9]*)(\.[0-9]+)?$"

_ID = re.compile(ID_PATTERN)
_PARTIAL_DATE = re.compile(PARTIAL_DATE_PATTERN)
_HF_REPO = re.compile(HF_REPO_PATTERN)
_LANGUAGE = re.compile(LANGUAGE_PATTERN)
_WIKIDATA = re.compile(WIKIDATA_PATTERN)
_FLOPS = re.compile(FLOPS_PATTERN)
_SCORE = re.compile(SCORE_PATTERN)
_SPACE = re.compile(r"\s")
_PLAIN_URL = re.compile(r"https?://[A-Za-z0-9.-]+(?:[/?#]\S*)?")  # what check_url accepts, said quickly


def _fail(code: str, message: str, found: str) -> PydanticCustomError:
    return PydanticCustomError(code, message, {"found": repr(found)})


def is_valid_id(value: str) -> bool:
    return bool(_ID.fullmatch(value)) and ".." not in value


def check_id(value: str) -> str:
    if not is_valid_id(value):
        raise _fail("invalid-id", "expected an id of lowercase letters, digits, '.' and '-' that starts and ends with a letter or digit; found {found}", found=value)
    return value


def check_partial_date(value: str) -> str:
    if not _PARTIAL_DATE.fullmatch(value):
        raise _fail("invalid-date", "expected a date as 'YYYY-MM-DD', 'YYYY-MM' or 'YYYY'; found {found}", found=value)
    year, month, day = (value.split("-") + ["01", "01"])[:3]
    try:
        dt.date(int(year), int(month), int(day))
    except ValueError:
        raise _fail("invalid-date", "{found} is not a real date", found=value) from None
    return value


def check_full_date(value: str) -> str:
    check_partial_date(value)
    if len(value) != 10:
        raise _fail("invalid-date", "expected a full date as 'YYYY-MM-DD'; found {found}", found=value)
    return value


def year_as_text(value):
    """A bare year written without quotes (released: 2019) is read as the text '2019'."""
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        return str(value)
    return value


def check_url(value: str) -> str:
    if _PLAIN_URL.fullmatch(value):
        return value
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or _SPACE.search(value):
        raise _fail("invalid-url", "expected an http(s) URL with a host and no spaces; found {found}", found=value)
    return value


def check_country(value: str) -> str:
    import pycountry

    if len(value) != 2 or pycountry.countries.get(alpha_2=value) is None:
        raise _fail("invalid-country", "expected an ISO 3166-1 alpha-2 country code such as 'US' or 'CN'; found {found}", found=value)
    return value


def check_territory(value: str) -> str:
    return value if value == "EU" else check_country(value)


def check_weights_location(value: str) -> str:
    if _HF_REPO.fullmatch(value):
        return value
    if value.startswith(("http://", "https://")):
        return check_url(value)
    raise _fail("invalid-weights", "expected a Hugging Face repo id 'owner/name' or an https URL; found {found}", found=value)


def check_language(value: str) -> str:
    if not _LANGUAGE.fullmatch(value):
        raise _fail("invalid-language", "expected a BCP 47 language tag such as 'en' or 'zh-Hans'; found {found}", found=value)
    return value


def check_wikidata(value: str) -> str:
    if not _WIKIDATA.fullmatch(value):
        raise _fail("invalid-wikidata", "expected a Wikidata item id such as 'Q95'; found {found}", found=value)
    return value


def check_flops(value: str) -> str:
    if not _FLOPS.fullmatch(value):
        raise _fail("invalid-flops", "expected a count in scientific notation such as '3.8e25' (one digit before the point, no trailing zeros); found {found}", found=value)
    return value


def check_score(value: str) -> str:
    if not _SCORE.fullmatch(value):
        raise _fail("invalid-score", "expected a score written as the source gives it, as text of digits with an optional decimal point, such as '71.5' or '1301'; found {found}", found=value)
    return value


FORMULA_STARTS = ("=", "+", "-", "@")


def check_text(value: str) -> str:
    stripped = value.strip()
    if not stripped or value != stripped:
        raise _fail("invalid-text", "expected text without leading or trailing spaces; found {found}", found=value)
    if value.startswith(FORMULA_STARTS):
        raise _fail("formula-like-text", "text must not start with =, +, - or @ (spreadsheets run such CSV cells as formulas); reword it; found {found}", found=value[:40])
    return value


TEXT_PATTERN = r"^[^=+\-@\s]([\s\S]*\S)?$"
Text = Annotated[str, AfterValidator(check_text), WithJsonSchema({"type": "string", "pattern": TEXT_PATTERN})]
RecordId = Annotated[str, AfterValidator(check_id), WithJsonSchema({"type": "string", "pattern": ID_PATTERN})]
PartialDate = Annotated[
    str,
    BeforeValidator(year_as_text),
    AfterValidator(check_partial_date),
    WithJsonSchema({"anyOf": [{"type": "string", "pattern": PARTIAL_DATE_PATTERN}, {"type": "integer", "minimum": 1000, "maximum": 9999}]}),
]
FullDate = Annotated[str, AfterValidator(check_full_date), WithJsonSchema({"type": "string", "format": "date"})]
Url = Annotated[str, AfterValidator(check_url), WithJsonSchema({"type": "string", "format": "uri", "pattern": "^https?://"})]
Country = Annotated[str, AfterValidator(check_country), WithJsonSchema({"type": "string", "pattern": "^[A-Z]{2}$"})]
Territory = Annotated[str, AfterValidator(check_territory), WithJsonSchema({"type": "string", "pattern": "^[A-Z]{2}$"})]
WeightsLocation = Annotated[
    str,
    AfterValidator(check_weights_location),
    WithJsonSchema({"type": "string", "pattern": f"({HF_REPO_PATTERN})|(^https?://)"}),
]
Language = Annotated[str, AfterValidator(check_language), WithJsonSchema({"type": "string", "pattern": LANGUAGE_PATTERN})]
WikidataId = Annotated[str, AfterValidator(check_wikidata), WithJsonSchema({"type": "string", "pattern": WIKIDATA_PATTERN})]
Count = Annotated[int, Field(gt=0)]
# Written as text ('3.8e25': YAML readers disagree on unquoted exponents); published as a float.
Flops = Annotated[
    str,
    AfterValidator(check_flops),
    PlainSerializer(float, return_type=float),
    WithJsonSchema({"type": "string", "pattern": FLOPS_PATTERN}),
]
# Written as text, exactly as its source gives it ('71.50' keeps its last zero); published as a float beside that text.
Score = Annotated[str, AfterValidator(check_score), WithJsonSchema({"type": "string", "pattern": SCORE_PATTERN})]
NonNegative = Annotated[int, Field(ge=0)]
