"""Nothing lost at the end: active runs are flushed and ended at interpreter exit, marked FAILED on an
uncaught exception, and flushed on SIGTERM/SIGINT, after which the signal's previous behaviour goes
on (SIGTERM's default still terminates the process, SIGINT still raises KeyboardInterrupt)."""
import atexit
import os
import signal
import sys
import threading

_active = []  # runs started and not ended, oldest first
_lock = threading.RLock()  # signal handlers end runs, possibly while register() holds it
_installed = False
_previous = {}

# A scheduler that sends SIGTERM usually sends SIGKILL some seconds later: flush within that.
SIGNAL_FLUSH_SECONDS = 10.0


def register(run):
    global _installed
    with _lock:
        _active.append(run)
        if _installed:
            return
        _installed = True
    atexit.register(_at_exit)
    previous_hook = sys.excepthook

    def excepthook(kind, value, tb):
        # Runs that were not used as context managers: an uncaught exception fails them.
        for r in list(_active):
            r._end_from_exception(kind, value, tb)
        previous_hook(kind, value, tb)

    sys.excepthook = excepthook
    if threading.current_thread() is threading.main_thread():  # signal.signal works only there
        for sig in (signal.SIGTERM, signal.SIGINT):
            try:
                _previous[sig] = signal.getsignal(sig)
                signal.signal(sig, _on_signal)
            except (ValueError, OSError):
                pass


def unregister(run):
    with _lock:
        if run in _active:
            _active.remove(run)


def _at_exit():
    for r in list(_active):
        try:
            r.end("FINISHED")
        except Exception as err:  # noqa: BLE001 - interpreter exit: report, never raise
            sys.stderr.write("runledger: could not end run at exit: %s\n" % err)


def _on_signal(signum, frame):
    prev = _previous.get(signum, signal.SIG_DFL)
    handled_elsewhere = callable(prev) and prev is not signal.default_int_handler
    for r in list(_active):
        try:
            if signum == signal.SIGTERM and not handled_elsewhere:
                # The process is about to die without running atexit: end the run now, as KILLED.
                r.end("KILLED", timeout=SIGNAL_FLUSH_SECONDS)
            else:
                # SIGINT raises KeyboardInterrupt, which a script may catch and go on logging.
                r.flush(timeout=SIGNAL_FLUSH_SECONDS)
        except Exception as err:  # noqa: BLE001
            sys.stderr.write("runledger: flush on signal %d failed: %s\n" % (signum, err))
    if callable(prev):
        prev(signum, frame)
    elif prev == signal.SIG_DFL:
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
    # SIG_IGN: ignored, as before.

