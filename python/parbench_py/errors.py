"""What a kernel module says when a configuration has no Python form."""


class Unreachable(Exception):
    """The configuration (kernel, --ipc, --algo, ...) has no Python form: refused, not failed."""
