"""Free TCP ports for the servers a test starts (LibreOffice, the converter).

Fixed ports clashed when two runs of the suite shared a machine (.ci/run runs the SQLite and the
PostgreSQL suites side by side): ask the kernel for ports nobody holds instead."""

import socket
from contextlib import ExitStack


def free_ports(count):
    """`count` distinct ports free at the moment of asking, on 127.0.0.1."""
    with ExitStack() as stack:
        sockets = [stack.enter_context(socket.socket()) for _ in range(count)]
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
