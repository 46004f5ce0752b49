"""Writing the outputs of scripts/compare and scripts/report: checked before any work, and
written whole (a reader never sees half a file).
"""

import os
import tempfile


def unwritable(path):
    """Why the output `path` cannot be written, or None: asked before any work, so that a typo does
    not lose a comparison that took minutes."""
    if os.path.isdir(path):
        return "is a directory"
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        return f"no such directory {directory}"
    # A probe file where write_whole makes its own, not os.access: root passes every access check,
    # and /proc or a read-only mount refuse anyway.
    try:
        fd, probe = tempfile.mkstemp(dir=directory, prefix="." + os.path.basename(path) + "-")
    except OSError as e:
        return e.strerror.lower()
    os.close(fd)
    os.unlink(probe)
    return None


def write_whole(path, write):
    """Calls write(file) on a temporary file beside `path`, renamed over it once complete: a reader
    never sees half a file, and a failure leaves what was there."""
    fd, temp = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(path)), prefix="." + os.path.basename(path) + "-")
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)  # as open() would have made it
        with os.fdopen(fd, "w") as out:
            write(out)
        os.replace(temp, path)
    except BaseException:
        os.unlink(temp)
        raise
