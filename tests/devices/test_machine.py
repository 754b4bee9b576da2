"""The machine model on its own: timing, hoppers, faults, interlocks, determinism."""

from __future__ import annotations

from datetime import UTC, datetime

from devices.machine import RECENT_JOBS, MachineConfig, MachineModel
from devices.protocol import (
    Ack,
    Brew,
    BrewAborted,
    BrewCompleted,
    BrewStarted,
    ClearFault,
    Descale,
    DescaleDone,
    Faulted,
    JobOutcome,
    Maintenance,
    Refill,
    Status,
    Stop,
)

EPOCH = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)
HOT = 100.0  # seconds: the default boiler is ready after 90


def machine(**config: object) -> MachineModel:
    return MachineModel("m1", "downtown", MachineConfig(**config), EPOCH)  # type: ignore[arg-type]


def ack(events: list) -> Ack:
    return next(e for e in events if isinstance(e, Ack))


def test_the_boiler_must_heat_before_a_brew_and_the_brew_takes_time() -> None:
    m = machine()
    refused = ack(m.handle(Brew(job_id="1-1-1", item_id="latte", size="large", milk="oat"), now=10))
    assert not refused.accepted and "heating" in (refused.reason or "") and m.boiler(10) < 93
    started = m.handle(Brew(job_id="1-1-1", item_id="latte", size="large", milk="oat"), now=HOT)
    assert ack(started).accepted and isinstance(started[-1], BrewStarted)
    assert m.state(HOT + 1).status == Status.BREWING and m.state(HOT + 1).job_id == "1-1-1"
    assert m.advance(HOT + 10) == []  # 12 s shot + 15 s steam, ×1.25 for large
    done = m.advance(HOT + 34)
    assert [type(e) for e in done] == [BrewCompleted] and done[0].at == m.at(HOT + 34)
    state = m.state(HOT + 34)
    assert state.status == Status.IDLE and state.water_ml < 3000 and state.beans_g == 1000 - 18


def test_a_busy_machine_refuses_a_second_brew_and_can_be_stopped() -> None:
    m = machine()
    m.handle(Brew(job_id="a", item_id="espresso", size="small"), now=HOT)
    busy = ack(m.handle(Brew(job_id="b", item_id="espresso", size="small"), now=HOT + 1))
    assert not busy.accepted and busy.reason == "machine is brewing"
    stopped = m.handle(Stop(job_id="a"), now=HOT + 2)
    assert isinstance(stopped[-1], BrewAborted) and stopped[-1].reason == "stopped"
    assert not ack(m.handle(Stop(job_id="a"), now=HOT + 3)).accepted


def test_a_grinder_jam_aborts_the_brew_and_blocks_the_machine_until_cleared() -> None:
    m = machine(jam_rate=1.0)
    m.handle(Brew(job_id="j", item_id="americano", size="medium"), now=HOT)
    events = m.advance(HOT + 12)
    assert [type(e) for e in events] == [BrewAborted, Faulted] and events[1].code == "grinder_jam"
    refused = ack(m.handle(Brew(job_id="k", item_id="americano", size="medium"), now=HOT + 13))
    assert refused.reason == "machine fault: grinder_jam"
    assert ack(m.handle(ClearFault(), now=HOT + 14)).accepted and m.state(HOT + 14).status == Status.IDLE


def test_low_water_faults_the_machine_until_refilled() -> None:
    m = machine(water_capacity_ml=600, low_water_ml=400)
    m.handle(Brew(job_id="w", item_id="americano", size="large"), now=HOT)
    events = m.advance(HOT + 60)
    assert [type(e) for e in events] == [BrewCompleted, Faulted] and events[1].code == "low_water"
    assert ack(m.handle(ClearFault(), now=HOT + 61)).reason == "refill the water first"
    assert ack(m.handle(Refill(water_ml=600), now=HOT + 62)).accepted
    assert ack(m.handle(ClearFault(), now=HOT + 63)).accepted


def test_descaling_is_due_after_so_many_brews_and_takes_time() -> None:
    m = machine(descale_every=2)
    for n, t in enumerate((HOT, HOT + 100)):
        m.handle(Brew(job_id=f"d{n}", item_id="espresso", size="small"), now=t)
        events = m.advance(t + 50)
    assert isinstance(events[-1], Faulted) and events[-1].code == "descaling_due"
    assert ack(m.handle(ClearFault(), now=HOT + 200)).reason == "descale to clear it"
    assert ack(m.handle(Descale(), now=HOT + 201)).accepted
    assert ack(m.handle(Brew(job_id="x", item_id="espresso", size="small"), now=HOT + 202)).reason == \
        "machine is descaling"
    assert [type(e) for e in m.advance(HOT + 400)] == [DescaleDone] and m.state(HOT + 400).brews_since_descale == 0


def test_maintenance_needs_an_idle_machine_and_blocks_brewing() -> None:
    m = machine()
    m.handle(Brew(job_id="m", item_id="espresso", size="small"), now=HOT)
    assert ack(m.handle(Maintenance(on=True), now=HOT + 1)).reason == "finish or stop the brew first"
    m.advance(HOT + 50)
    assert ack(m.handle(Maintenance(on=True), now=HOT + 51)).accepted
    assert ack(m.handle(Brew(job_id="n", item_id="espresso", size="small"), now=HOT + 52)).reason == \
        "machine is maintenance"
    assert ack(m.handle(Maintenance(on=False), now=HOT + 53)).accepted


def run(seed: int) -> list[str]:
    m = machine(jam_rate=0.5, seed=seed, descale_every=1000, water_capacity_ml=100_000, bean_capacity_g=100_000)
    kinds, t = [], HOT
    for n in range(40):
        m.handle(Brew(job_id=f"r{n}", item_id="latte", size="medium", milk="whole"), now=t)
        kinds += [e.kind for e in m.advance(t + 60)]
        m.handle(ClearFault(), now=t + 61)
        t += 100
    return kinds


def test_the_same_seed_replays_the_same_shift_and_another_seed_does_not() -> None:
    assert run(7) == run(7) and "fault" in run(7) and "brew_completed" in run(7)
    assert run(7) != run(8)


def test_the_state_carries_the_last_few_brews_outcomes_newest_last() -> None:
    m = machine(jam_rate=0.0, water_capacity_ml=100_000, bean_capacity_g=100_000, descale_every=1000)
    m.handle(Brew(job_id="stopped", item_id="espresso", size="small"), now=HOT)
    m.handle(Stop(job_id="stopped"), now=HOT + 1)
    t = HOT + 10
    for n in range(RECENT_JOBS):
        m.handle(Brew(job_id=f"c{n}", item_id="espresso", size="small"), now=t)
        m.advance(t + 50)
        t += 100
    recent = m.state(t).recent_jobs
    assert [j.job_id for j in recent] == [f"c{n}" for n in range(RECENT_JOBS)]
    assert {j.outcome for j in recent} == {"completed"} and all(j.reason is None for j in recent)
    m.handle(Brew(job_id="s", item_id="espresso", size="small"), now=t)
    m.handle(Stop(job_id="s"), now=t + 1)
    assert m.state(t + 1).recent_jobs[-1] == JobOutcome(job_id="s", outcome="aborted", reason="stopped")
    assert len(m.state(t + 1).recent_jobs) == RECENT_JOBS and m.state(t + 1).recent_jobs[0].job_id == "c1"


def test_a_jammed_brew_is_recorded_as_aborted_and_a_refused_one_not_at_all() -> None:
    m = machine(jam_rate=1.0)
    m.handle(Brew(job_id="j", item_id="americano", size="medium"), now=HOT)
    m.advance(HOT + 12)
    m.handle(Brew(job_id="refused", item_id="americano", size="medium"), now=HOT + 13)
    assert m.state(HOT + 13).recent_jobs == [JobOutcome(job_id="j", outcome="aborted", reason="grinder jammed")]
