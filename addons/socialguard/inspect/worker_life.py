"""Inspection processes die with the proxy that started them, also after kill -9 or an OOM kill.

The process tree: the proxy starts a forkserver and a resource tracker; the forkserver forks the workers.
Left alone, a killed proxy leaves all three behind (each worker holds the forkserver's liveness pipe and the
tracker's pipe, so neither ever sees its end-of-file). Two guards, each enough on its own:

- the kernel: the forkserver (through `forkserver_guard`, its preload) and each worker (in its initializer) ask
  for SIGKILL when their parent dies (`prctl(PR_SET_PDEATHSIG)`): proxy gone -> forkserver killed -> workers
  killed, with no Python code needing to run (a worker stuck in a C decoder holding the GIL dies too);
- the worker itself: a daemon thread waits on multiprocessing's parent sentinel, a pipe from the proxy that
  reaches end-of-file when the proxy dies, and exits the worker (where prctl is missing: not Linux, seccomp).

Once the workers are gone the forkserver and the resource tracker see end-of-file on their pipes and exit; the
tracker then removes any semaphore the dead processes left. A new proxy starts its own forkserver (the
address is a fresh socket per process), so nothing stale is ever reused.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import multiprocessing.forkserver
import os
import signal
import threading

PR_SET_PDEATHSIG = 1
FORKSERVER_GUARD = "socialguard.inspect.forkserver_guard"


def die_with_parent(sig: int = signal.SIGKILL) -> bool:
    """Have the kernel send `sig` to this process when its parent ends (Linux). False where unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _exit_when_proxy_ends(sentinel: int) -> None:
    multiprocessing.connection.wait([sentinel])
    os._exit(70)                        # EX_SOFTWARE: nothing to flush, the job's result has no reader


def worker_initializer() -> None:
    """ProcessPoolExecutor initializer: tie this worker's life to its forkserver and to the proxy."""
    die_with_parent()
    parent = multiprocessing.parent_process()       # the proxy that asked for this worker
    if parent is None or parent.sentinel is None:
        return
    if not parent.is_alive():                       # it died before the guards were up
        os._exit(70)
    threading.Thread(target=_exit_when_proxy_ends, args=(parent.sentinel,), name="socialguard-proxy-watch",
                     daemon=True).start()


def pool_context() -> multiprocessing.context.BaseContext:
    """The forkserver context for the inspection pool, its forkserver guarded and started from this thread
    (PR_SET_PDEATHSIG follows the thread that forked: call it from the proxy's main thread)."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["__main__", FORKSERVER_GUARD])     # __main__: multiprocessing's default
    multiprocessing.forkserver.ensure_running()
    return ctx
