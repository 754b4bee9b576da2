"""Safety interlocks the kitchen enforces before a command leaves for a machine.

The machine refuses unsafe commands too; checking here as well gives every caller (staff, REST, agents) an
immediate, clear reason and keeps unsafe commands off the wire. The rules read the machine's last report.
"""

from __future__ import annotations

from typing import Literal

from store.kitchen import Machine
from tools.errors import Interlock

LOW_WATER_ML = 300
"""Below this the kitchen will not start a brew (a large drink takes up to about 250 ml)."""
MIN_BEANS_G = 40

Action = Literal["brew", "stop", "descale", "maintenance_on", "maintenance_off", "clear_fault", "refill"]


def refusal(machine: Machine, action: Action) -> str | None:
    """Why `action` is unsafe on `machine` right now, or None."""
    s, fault = machine.status, machine.fault
    if s == "offline":
        return "machine is offline"
    if action == "brew":
        return _brew_refusal(machine)
    if action == "stop":
        return None if s == "brewing" else f"machine is {s}, not brewing"
    if action == "descale":
        if s in ("brewing", "maintenance", "descaling"):
            return f"cannot descale while {s}"
        return "clear the fault first" if s == "fault" and fault != "descaling_due" else None
    if action == "maintenance_on":
        return "finish or stop the brew first" if s == "brewing" else None
    if action == "maintenance_off":
        return None if s == "maintenance" else "machine is not in maintenance"
    if action == "clear_fault":
        return _clear_refusal(machine)
    return None


def _brew_refusal(m: Machine) -> str | None:
    if m.status == "descaling":
        return "cannot brew while descaling"
    if m.status == "fault":
        return f"machine fault: {m.fault}"
    if m.status == "heating":
        return f"boiler is still heating ({m.boiler_c} °C)"
    if m.status != "idle":
        return f"machine is {m.status}"
    if m.water_ml < LOW_WATER_ML:
        return f"low water ({m.water_ml} ml): refill first"
    return f"low on beans ({m.beans_g} g): refill first" if m.beans_g < MIN_BEANS_G else None


def _clear_refusal(m: Machine) -> str | None:
    if m.status != "fault":
        return "no fault to clear"
    if m.fault == "low_water" and m.water_ml < LOW_WATER_ML:
        return f"refill the water first ({m.water_ml} ml)"
    return "descale to clear it" if m.fault == "descaling_due" else None


def check(machine: Machine, action: Action) -> None:
    reason = refusal(machine, action)
    if reason:
        raise Interlock(f"{action.replace('_', ' ')} refused on {machine.id}: {reason}", reason=reason,
                        location_id=machine.location_id, machine_id=machine.id, status=machine.status)


def can_take_brew(machine: Machine) -> bool:
    return _brew_refusal(machine) is None and machine.status != "offline"


def is_serviceable(machine: Machine) -> bool:
    """Could take a drink soon without a human: heating or busy is fine; offline, fault, maintenance or an idle
    machine out of water or beans is not."""
    return machine.status in ("heating", "brewing", "descaling") or can_take_brew(machine)
