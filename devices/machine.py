"""A coffee machine as a pure, deterministic state machine: no I/O, time passed in, randomness seeded.

The boiler needs time to heat; brews take time by shots, milk and size; hoppers run down; faults (grinder jam
mid-brew, low water, descaling due) happen at configured rates. Unsafe commands are refused with a reason —
the machine's own interlocks, whatever the kitchen software believes.
"""

from __future__ import annotations

import random
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta

from devices.protocol import (
    Ack,
    Brew,
    BrewAborted,
    BrewCompleted,
    BrewStarted,
    ClearFault,
    Command,
    Descale,
    DescaleDone,
    Event,
    FaultCode,
    Faulted,
    JobOutcome,
    MachineState,
    Maintenance,
    Refill,
    Status,
    Stop,
)

SIZE_FACTOR = {"small": 0.8, "medium": 1.0, "large": 1.25, "regular": 1.0}
RECENT_JOBS = 8


@dataclass(frozen=True)
class MachineConfig:
    heat_up_s: float = 90.0
    ready_c: float = 93.0
    ambient_c: float = 20.0
    shot_s: float = 12.0
    steam_s: float = 15.0
    descale_s: float = 120.0
    water_capacity_ml: int = 3000
    bean_capacity_g: int = 1000
    low_water_ml: int = 200
    descale_every: int = 200
    jam_rate: float = 0.0
    """Chance that a brew jams the grinder part-way through."""
    time_scale: float = 1.0
    """Multiplies every duration (tests run machines a thousand times faster)."""
    seed: int = 0


@dataclass
class _Job:
    brew: Brew
    ends: float
    jams_at: float | None


class MachineModel:
    def __init__(self, machine_id: str, location_id: str, config: MachineConfig, epoch: datetime, now: float = 0.0
                 ) -> None:
        self.id, self.location, self.config, self.epoch, self.t0 = machine_id, location_id, config, epoch, now
        self.status: Status = Status.HEATING
        self.fault: FaultCode | None = None
        self.heat_started, self.water, self.beans = now, config.water_capacity_ml, config.bean_capacity_g
        self.job: _Job | None = None
        self.brews_since_descale, self.descale_ends = 0, 0.0
        self.recent: deque[JobOutcome] = deque(maxlen=RECENT_JOBS)
        self._random = random.Random(config.seed)

    def at(self, now: float) -> datetime:
        return self.epoch + timedelta(seconds=now - self.t0)

    def boiler(self, now: float) -> float:
        c = self.config
        if self.status != Status.HEATING:
            return c.ready_c
        warmed = (now - self.heat_started) / max(c.heat_up_s * c.time_scale, 1e-9)
        return round(min(c.ready_c, c.ambient_c + (c.ready_c - c.ambient_c) * warmed), 1)

    def state(self, now: float) -> MachineState:
        return MachineState(machine_id=self.id, location_id=self.location, status=self.status, at=self.at(now),
                            boiler_c=self.boiler(now), water_ml=self.water, beans_g=self.beans, fault=self.fault,
                            brews_since_descale=self.brews_since_descale, recent_jobs=list(self.recent),
                            job_id=self.job.brew.job_id if self.job else None)

    def next_change(self) -> float | None:
        """When `advance` will next have something to report, if anything is under way."""
        if self.status == Status.HEATING:
            return self.heat_started + self.config.heat_up_s * self.config.time_scale
        if self.job:
            return self.job.jams_at if self.job.jams_at is not None else self.job.ends
        return self.descale_ends if self.status == Status.DESCALING else None

    def handle(self, command: Command, now: float) -> list[Event]:
        events = self.advance(now)
        why = self._refusal(command, now)
        ack = Ack(machine_id=self.id, at=self.at(now), command_id=command.command_id, accepted=not why, reason=why)
        return [*events, ack] if why else [*events, ack, *self._apply(command, now)]

    def advance(self, now: float) -> list[Event]:
        """Everything that has happened by `now`: heated up, brew done or jammed, descaling finished."""
        events: list[Event] = []
        if self.status == Status.HEATING and now >= (self.next_change() or now):
            self.status = Status.IDLE
        if self.job and self.job.jams_at is not None and now >= self.job.jams_at:
            events += self._fault(FaultCode.GRINDER_JAM, now, "grinder jammed")
        elif self.job and now >= self.job.ends:
            events += self._finish(now)
        if self.status == Status.DESCALING and now >= self.descale_ends:
            self.status, self.brews_since_descale, self.fault = Status.IDLE, 0, None
            events.append(DescaleDone(machine_id=self.id, at=self.at(now)))
        return events

    def _refusal(self, command: Command, now: float) -> str | None:
        s = self.status
        if isinstance(command, Brew):
            return self._brew_refusal(command, now)
        if isinstance(command, Stop):
            return None if self.job and self.job.brew.job_id == command.job_id else f"not brewing {command.job_id}"
        if isinstance(command, Descale):
            blocked = s in (Status.BREWING, Status.MAINTENANCE) or (s == Status.FAULT and
                                                                   self.fault != FaultCode.DESCALING_DUE)
            return f"cannot descale while {s.value}" if blocked else None
        if isinstance(command, Maintenance):
            return "finish or stop the brew first" if command.on and s == Status.BREWING else None
        if isinstance(command, ClearFault):
            if s != Status.FAULT:
                return "no fault to clear"
            if self.fault == FaultCode.LOW_WATER and self.water < self.config.low_water_ml:
                return "refill the water first"
            return "descale to clear it" if self.fault == FaultCode.DESCALING_DUE else None
        return None

    def _brew_refusal(self, brew: Brew, now: float) -> str | None:
        s = self.status
        if s == Status.FAULT:
            return f"machine fault: {self.fault.value if self.fault else 'unknown'}"
        if s != Status.IDLE:
            detail = f" ({self.boiler(now)} °C)" if s == Status.HEATING else ""
            return f"machine is {s.value}{detail}"
        water, beans = self._use(brew)
        return "low water" if self.water < water else "out of beans" if self.beans < beans else None

    def _apply(self, command: Command, now: float) -> list[Event]:
        if isinstance(command, Brew):
            return self._start(command, now)
        if isinstance(command, Stop):
            return [self._abort("stopped", now)]
        if isinstance(command, Descale):
            self.status, self.descale_ends = Status.DESCALING, now + self.config.descale_s * self.config.time_scale
        elif isinstance(command, Maintenance):
            self.status = Status.MAINTENANCE if command.on else Status.IDLE
        elif isinstance(command, ClearFault):
            self.status, self.fault = Status.IDLE, None
        elif isinstance(command, Refill):
            self.water = min(self.config.water_capacity_ml, self.water + command.water_ml)
            self.beans = min(self.config.bean_capacity_g, self.beans + command.beans_g)
        return []

    def _use(self, brew: Brew) -> tuple[int, int]:
        return int((40 * max(brew.shots, 1) + 100) * SIZE_FACTOR.get(brew.size, 1.0)), 9 * brew.shots

    def _start(self, brew: Brew, now: float) -> list[Event]:
        c = self.config
        duration = (c.shot_s + (c.steam_s if brew.milk else 0.0)) * SIZE_FACTOR.get(brew.size, 1.0) * c.time_scale
        jams = self._random.random() < c.jam_rate
        self.job = _Job(brew, now + duration, now + duration * self._random.uniform(0.2, 0.8) if jams else None)
        self.status = Status.BREWING
        return [BrewStarted(machine_id=self.id, at=self.at(now), job_id=brew.job_id)]

    def _finish(self, now: float) -> list[Event]:
        assert self.job is not None
        water, beans = self._use(self.job.brew)
        self.water, self.beans = self.water - water, self.beans - beans
        self.brews_since_descale += 1
        done = BrewCompleted(machine_id=self.id, at=self.at(now), job_id=self.job.brew.job_id)
        self.recent.append(JobOutcome(job_id=done.job_id, outcome="completed"))
        self.job, self.status = None, Status.IDLE
        if self.water < self.config.low_water_ml:
            return [done, *self._fault(FaultCode.LOW_WATER, now)]
        if self.brews_since_descale >= self.config.descale_every:
            return [done, *self._fault(FaultCode.DESCALING_DUE, now)]
        return [done]

    def _abort(self, reason: str, now: float) -> BrewAborted:
        assert self.job is not None
        job_id, self.job, self.status = self.job.brew.job_id, None, Status.IDLE
        self.recent.append(JobOutcome(job_id=job_id, outcome="aborted", reason=reason))
        return BrewAborted(machine_id=self.id, at=self.at(now), job_id=job_id, reason=reason)

    def _fault(self, code: FaultCode, now: float, abort: str | None = None) -> list[Event]:
        events: list[Event] = [self._abort(abort, now)] if self.job and abort else []
        self.status, self.fault = Status.FAULT, code
        return [*events, Faulted(machine_id=self.id, at=self.at(now), code=code)]
