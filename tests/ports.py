"""A loopback port for a server a test starts, or for one that is not there."""

import socket


def free_port() -> int:
    """A port on 127.0.0.1 that the kernel just handed out and nothing listens on: a test may start its
    own server there, or connect to it and be refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
