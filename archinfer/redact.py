"""The last line of defence: credential-looking values found in output text are withheld (detect-secrets' detectors)."""

from __future__ import annotations

import functools
import re
from typing import Any

WITHHELD = "«withheld»"
# Names that say a value is a credential: such values are never evaluated for output or shown.
CREDENTIAL_NAME = re.compile(
    r"(?i)pass(word|wd)|(^|[^a-z])pass([^a-z]|$)|secret|token|credential|private_?key|access_?key|api_?key|conn(ection)?_?str|(^|_)sas(_|$)")
# Detectors of credential formats only: entropy detectors would also hide image digests and resource ids.
_PLUGINS = (
    ("aws", "AWSKeyDetector"), ("azure_storage_key", "AzureStorageKeyDetector"), ("basic_auth", "BasicAuthDetector"),
    ("github_token", "GitHubTokenDetector"), ("gitlab_token", "GitLabTokenDetector"), ("jwt", "JwtTokenDetector"),
    ("npm", "NpmDetector"), ("openai", "OpenAIDetector"), ("private_key", "PrivateKeyDetector"),
    ("pypi_token", "PypiTokenDetector"), ("sendgrid", "SendGridDetector"), ("slack", "SlackDetector"),
    ("stripe", "StripeDetector"), ("twilio", "TwilioKeyDetector"), ("discord", "DiscordBotTokenDetector"),
)
# Connection strings carry their secret after a key name (Azure's AccountKey=, SharedAccessKey=, Password=).
_KEYED_HINT = re.compile(r"(accountkey|sharedaccesskey|sharedaccesssignature|password|pwd|sig)=")
_KEYED = re.compile(r"(?i)\b(AccountKey|SharedAccessKey|SharedAccessSignature|Password|Pwd|sig)=([^;&\s\"'|`]+)")


@functools.lru_cache(maxsize=1)
def _detectors() -> tuple[Any, ...]:
    import importlib

    found = []
    for module, name in _PLUGINS:
        try:
            found.append(getattr(importlib.import_module(f"detect_secrets.plugins.{module}"), name)())
        except (ImportError, AttributeError):  # a detector missing from this version: the others still run
            continue
    return tuple(found)


def redact(text: str) -> str:
    """`text` with every credential-looking value replaced by «withheld»."""
    if not text:
        return text
    text = _KEYED.sub(lambda m: f"{m.group(1)}={WITHHELD}", text)
    for detector in _detectors():
        for secret in set(detector.analyze_string(text)):
            if secret and secret != WITHHELD and len(secret) >= 4:
                text = text.replace(secret, WITHHELD)
    return text


def credential_spans(text: str) -> list[tuple[int, str]]:
    """(offset, kind) of every credential-looking value in `text`: connection-string keys and detector hits."""
    spans: list[tuple[int, str]] = []
    if _KEYED_HINT.search(text.lower()):  # the case-insensitive pattern is slow; most files hold none of the keys
        spans = [(m.start(2), f"connection string {m.group(1)}=") for m in _KEYED.finditer(text)]
    for detector in _detectors():
        kind = str(getattr(detector, "secret_type", type(detector).__name__))
        for secret in set(detector.analyze_string(text)):
            if not secret or secret == WITHHELD or len(secret) < 4:
                continue
            start = text.find(secret)
            while start >= 0:
                spans.append((start, kind))
                start = text.find(secret, start + len(secret))
    return sorted(spans)
