"""ask-sdk-core's serializer, with request timestamps parsed by the standard library.

DefaultSerializer parses every datetime with dateutil's general parser: about 45 µs of
the 95 µs it takes to deserialize a LaunchRequest here (a third of what a bare ask-sdk
skill spends on a request, bench/serve_bench.py). Alexa's timestamps are ISO 8601
("2026-11-29T12:00:00Z", developer.amazon.com "Request and response JSON reference"),
which `datetime.fromisoformat` reads directly since Python 3.11. Anything it cannot read
goes to dateutil as before, so nothing that parsed before fails now.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ask_sdk_core.serialize import DefaultSerializer


class EnvelopeSerializer(DefaultSerializer):
    """DefaultSerializer with a fast path for ISO 8601 datetimes."""

    # DefaultSerializer calls self.__deserialize_datetime, which Python names
    # _DefaultSerializer__deserialize_datetime; defining that name here replaces it.
    # tests/skill/test_serializer.py fails if ask-sdk-core stops calling it.
    def _DefaultSerializer__deserialize_datetime(self, payload: str, obj_type: Any) -> Any:
        try:
            parsed = datetime.fromisoformat(payload)
        except (TypeError, ValueError):
            return super()._DefaultSerializer__deserialize_datetime(payload, obj_type)
        return parsed.date() if obj_type is date else parsed

    def from_dict(self, document: dict, obj_type: Any) -> Any:
        """`document` (already parsed JSON) as `obj_type`: deserialize() without parsing
        the text again (the endpoint parses it once, to check its shape first)."""
        return self._DefaultSerializer__deserialize(document, obj_type)
