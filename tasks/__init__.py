"""Background work. The consumer loads this package, which imports every task module
so that each task is registered with the one huey instance."""

from tasks import batches, housekeeping, mail, sync, uploads  # noqa: F401,E402
from tasks.queue import configure, huey  # noqa: F401
