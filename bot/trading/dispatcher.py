"""One FIFO lane per user: a user's signals run strictly in arrival order, lanes run in parallel.

`submit` never waits: the webhook hands a journaled signal over and answers at once. A global
semaphore bounds how many executions run at the same time across all users. A dispatcher made
`held` (at start-up, while the journal's open rows are picked up) only queues until `release`.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.signals import Signal

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    """A journaled signal waiting for execution."""

    signal_id: int
    user_id: int
    signal: Signal
    received_at: float
    route: str = "personal"
    replay: bool = False  # picked up again after a restart: look before placing


Runner = Callable[[Job], Awaitable[None]]


class Dispatcher:
    """Run jobs through `runner`, in order per user and concurrently across users."""

    def __init__(self, runner: Runner, *, max_parallel: int = 64, held: bool = False) -> None:
        self._runner = runner
        self._held = held
        self.max_parallel = max_parallel
        self._limit = asyncio.Semaphore(max_parallel)
        self._lanes: dict[int, deque[Job]] = {}
        self._tasks: dict[int, asyncio.Task[None]] = {}
        self._accepting = True
        self._idle = asyncio.Event()
        self._idle.set()
        self._unfinished = 0  # submitted and not yet run to its end
        self._finished_one = asyncio.Condition()
        self.running = 0
        self.completed = 0

    @property
    def depth(self) -> int:
        """Jobs waiting, not yet started."""
        return sum(len(lane) for lane in self._lanes.values())

    @property
    def lanes(self) -> int:
        return len(self._tasks)

    @property
    def unfinished(self) -> int:
        """Jobs submitted and not finished: waiting in a lane, for a slot, or running."""
        return self._unfinished

    async def wait_below(self, limit: int) -> None:
        """Wait until fewer than `limit` jobs are unfinished (a producer's back-pressure)."""
        async with self._finished_one:
            await self._finished_one.wait_for(lambda: self._unfinished < limit)

    def submit(self, job: Job) -> bool:
        """Queue a job on its user's lane; False once shutting down (the journal keeps it)."""
        if not self._accepting:
            return False
        lane = self._lanes.get(job.user_id)
        if lane is None:
            lane = self._lanes[job.user_id] = deque()
        lane.append(job)
        self._unfinished += 1
        self._idle.clear()
        if not self._held and job.user_id not in self._tasks:
            self._start_lane(job.user_id, lane)
        return True

    def release(self) -> None:
        """Start the lanes held so far, each in signal order and each signal once.

        After a restart an alert can arrive before the recovery has submitted the open rows
        of its user, and the recovery submits that alert's row again: the journal's ids are
        the arrival order, and of two jobs for one signal the replay (it looks first) runs.
        """
        self._held = False
        for user_id, lane in self._lanes.items():
            jobs = {job.signal_id: job
                    for job in sorted(lane, key=lambda job: (job.signal_id, job.replay))}
            self._unfinished -= len(lane) - len(jobs)
            lane.clear()
            lane.extend(jobs.values())
            if user_id not in self._tasks:
                self._start_lane(user_id, lane)

    def _start_lane(self, user_id: int, lane: deque[Job]) -> None:
        self._tasks[user_id] = asyncio.create_task(self._run_lane(user_id, lane),
                                                   name=f"lane-{user_id}")

    async def _run_lane(self, user_id: int, lane: deque[Job]) -> None:
        try:
            while lane and self._accepting:
                job = lane.popleft()
                async with self._limit:
                    self.running += 1
                    try:
                        await self._runner(job)
                    except Exception:
                        # The runner records its own failures; this is a bug guard so one bad
                        # job never stalls the user's lane.
                        log.exception("signal=%s user=%s execution crashed", job.signal_id,
                                      job.user_id)
                    finally:
                        self.running -= 1
                        self.completed += 1
                        self._unfinished -= 1
                async with self._finished_one:
                    self._finished_one.notify_all()
        finally:
            self._tasks.pop(user_id, None)
            if not lane or not self._accepting:
                self._lanes.pop(user_id, None)
            if not self._tasks:
                self._idle.set()

    async def join(self) -> None:
        """Wait until every submitted job has run."""
        await self._idle.wait()

    async def drain(self, timeout: float) -> None:
        """Stop taking jobs; let running executions finish within `timeout`, then cancel.

        Jobs still waiting stay `queued` in the journal and are picked up on the next start.
        """
        self._accepting = False
        tasks = list(self._tasks.values())
        if not tasks:
            return
        _, pending = await asyncio.wait(tasks, timeout=timeout)
        for task in pending:
            task.cancel()
        if pending:
            log.warning("shutdown: %d execution(s) still running after %.0f s were cancelled; "
                        "they resume safely on the next start", len(pending), timeout)
            await asyncio.gather(*pending, return_exceptions=True)
