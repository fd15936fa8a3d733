"""The one exception tree of giar-llm.

    GiarError                       everything the package raises on purpose
    ├── InputError                  a file that can't be read as a report (missing, empty, undecodable, scanned)
    ├── ReportFormatError           JSON that is not a report, envelope or gold file
    ├── ConfigError                 settings or provider rows that don't fit together (unknown provider, no key)
    ├── BusyError                   another batch holds the output folder's lock
    ├── PromptError                 a prompt file missing, or rendered with a missing/extra variable
    └── ModelError                  the model endpoint failed; keeps the original exception as __cause__
        ├── TransientModelError     connection, timeout, 429, 5xx: worth retrying
        ├── TruncatedOutputError    finish_reason == "length": the answer was cut off
        ├── DeadlineError           the report's model time (settings.deadline) ran out
        └── MalformedOutputError    the answer is not JSON of the schema

Violations of the format's arithmetic are data (core.findings.Violation), never exceptions.
"""

from __future__ import annotations


class GiarError(Exception):
    """Base class of every error giar-llm raises on purpose."""


class InputError(GiarError):
    """The input file can't be read as a report."""


class ReportFormatError(GiarError):
    """A JSON document is not a report, a result envelope or a gold file."""


class ConfigError(GiarError):
    """Settings or provider rows are inconsistent."""


class BusyError(GiarError):
    """Another batch is writing to the same output folder."""


class PromptError(GiarError):
    """A prompt file is missing or was rendered with the wrong variables."""


class ModelError(GiarError):
    """The model endpoint failed."""


class TransientModelError(ModelError):
    """A fault worth retrying: connection, timeout, rate limit, server error."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class TruncatedOutputError(ModelError):
    """The model stopped at its token limit; the answer is incomplete."""


class DeadlineError(ModelError):
    """The per-report deadline for model calls ran out; no further request is sent."""


class MalformedOutputError(ModelError):
    """The model's answer is not valid JSON of the requested schema."""
