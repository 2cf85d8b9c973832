"""Amazon's Selling Partner API, spoken with `requests` (no AWS signing since Oct 2023).

`client.SpApiClient` is the one way in; every failure is an `errors.SpApiError`.
"""

from core.spapi.client import Credentials, Document, SpApiClient
from core.spapi.errors import SpApiError

__all__ = ["Credentials", "Document", "SpApiClient", "SpApiError"]
