"""The script `socialguard run` hands to mitmdump (`-s`): mitmdump reads its `addons`, built here once."""

from socialguard.adapter import make_addons

addons = make_addons()
