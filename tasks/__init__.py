"""Background work. The consumer loads this package, which imports every task module
so that each task is registered with the one huey instance."""

from tasks.queue import configure, huey  # noqa: F401
from tasks import batches, housekeeping, imports, mail  # noqa: F401,E402
