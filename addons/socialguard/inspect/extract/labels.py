"""Microsoft Purview (MSIP) sensitivity labels from document properties.

Office writes one group of properties per label: `MSIP_Label_<guid>_Enabled`, `_Name`, `_SiteId`, `_Method`,
`_SetDate`, ... A label counts only when its group names it and is enabled: a label that was removed or
downgraded stays in the file with `_Enabled` = false, and other custom properties are not labels at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_PROPERTY = re.compile(r"^MSIP_Label_([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})_"
                       r"(Name|Enabled)$")
_FALSE = {"false", "0", "no", "off"}


def enabled_label_names(properties: Iterable[tuple[str, str]]) -> list[str]:
    """The names of the enabled labels among (property name, value) pairs, in the order first seen."""
    names: dict[str, str] = {}
    disabled: set[str] = set()
    for key, value in properties:
        m = _PROPERTY.match(key.strip())
        if not m:
            continue
        guid, field = m.group(1).lower(), m.group(2)
        value = (value or "").strip()
        if field == "Name" and value:
            names.setdefault(guid, value[:200])
        elif field == "Enabled" and value.lower() in _FALSE:
            disabled.add(guid)
    return [name for guid, name in names.items() if guid not in disabled]
