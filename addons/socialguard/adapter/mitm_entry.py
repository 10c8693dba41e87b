"""The script `socialguard run` hands to mitmdump (`-s`): it only exposes the adapter's addons."""

from socialguard.adapter import addons  # noqa: F401
