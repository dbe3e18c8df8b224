"""The base class of every wire model: tolerant of fields this project does not use."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class WireModel(BaseModel):
    """A JSON object from (or for) an Ory API; unknown fields are kept, not rejected."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    def to_wire(self) -> dict[str, Any]:
        """The JSON body to send: by alias, without fields left unset or set to None."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)
