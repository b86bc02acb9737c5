"""Background processes yield the CPU to web requests (decision 0032).

The workers (`manage.py worker`) and the warm PDF converter (`manage.py pdf_converter`, and the
LibreOffice it starts, which inherits the value) lower their own CPU priority to
`YANXIU_BACKGROUND_NICE` (10) when they start. Under Linux's scheduler a process at nice 10 weighs
about a tenth of one at 0: while PDFs are made back to back, a web request that wakes up runs at
once instead of waiting behind LibreOffice, and when the web is idle the PDFs still get every
spare cycle. The systemd units say `Nice=10` too; setting it here as well means every way of
starting them (systemd, `make run`, `tools/prod_check.py`, `bench/pdf.py`) gets it.
"""

import os

from django.conf import settings


def background_niceness():
    return int(getattr(settings, "YANXIU_BACKGROUND_NICE", 10))


def yield_to_web(niceness=None):
    """Lower this process's CPU priority to `niceness` (YANXIU_BACKGROUND_NICE if None); never raise
    it (an unprivileged process cannot, and one started lower, e.g. by systemd, stays there).
    Returns the niceness now in force."""
    wanted = background_niceness() if niceness is None else int(niceness)
    current = os.getpriority(os.PRIO_PROCESS, 0)
    if wanted > current:
        os.setpriority(os.PRIO_PROCESS, 0, min(wanted, 19))
    return os.getpriority(os.PRIO_PROCESS, 0)
