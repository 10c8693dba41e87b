"""Where the policy folder is found when a command is not told, in one documented order.

1. `--policy DIR` on the command line, 2. `$SOCIALGUARD_POLICY`, 3. `/etc/socialguard/policy`, 4. `./policy`,
5. the copy bundled inside the package. A place that was named explicitly (1, 2) must exist: falling through to
another policy there would run the proxy on rules nobody chose. The implicit places (3, 4) count only when they
hold an `agency.yaml`; the bundled copy always does.
"""

from __future__ import annotations

import os
from pathlib import Path

from .source import PolicyError

ENV_VAR = "SOCIALGUARD_POLICY"
SYSTEM_DIR = Path("/etc/socialguard/policy")
# In a checkout this is a link to the repository's policy/; in a wheel it is a copy (package data).
BUNDLED_DIR = Path(__file__).resolve().parent.parent / "bundled_policy"


def search_order(explicit: str | None, environ=os.environ, cwd: Path | None = None) -> list[tuple[str, Path]]:
    """The places looked at, in order, each with what named it."""
    places: list[tuple[str, Path]] = []
    if explicit:
        places.append(("--policy", Path(explicit)))
    elif environ.get(ENV_VAR):
        places.append((f"${ENV_VAR}", Path(environ[ENV_VAR])))
    else:
        places += [("system", SYSTEM_DIR), ("working directory", (cwd or Path.cwd()) / "policy"),
                   ("bundled", BUNDLED_DIR)]
    return places


def locate_policy(explicit: str | None = None, environ=os.environ, cwd: Path | None = None) -> Path:
    """The policy folder to load, or a PolicyError that names every place looked at."""
    places = search_order(explicit, environ, cwd)
    named_explicitly = len(places) == 1
    for _, place in places:
        if place.is_dir() and (named_explicitly or (place / "agency.yaml").is_file()):
            return place.resolve()
    looked = "; ".join(f"{what}: {place}" for what, place in places)
    raise PolicyError.at(places[0][1], 1, f"policy directory not found (looked at {looked})")
