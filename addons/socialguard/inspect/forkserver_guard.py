"""Imported only by the inspection forkserver, as its preload (worker_life.pool_context): from then on the
kernel kills the forkserver when the proxy that started it dies. Nothing else may import this module."""

from .worker_life import die_with_parent

die_with_parent()
