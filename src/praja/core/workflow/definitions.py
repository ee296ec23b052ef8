"""The table types a module declares its case workflows with (no database access here)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

# guard(case, *, actor, data) -> None when the condition holds, else the message to show.
Guard = Callable[..., Any]


@dataclass(frozen=True)
class State:
    """One status of a case, and who holds the case while it is in it.

    `holder` is shown to the applicant on the timeline ("Verifikator DPMPTSP"); `holder_role` names
    the role whose people act in this state (their supervisors receive SLA escalations).
    """

    value: str
    label: Any = ""
    holder: Any = ""
    holder_role: str | None = None
    is_final: bool = False

    def __post_init__(self) -> None:
        if not self.label:
            object.__setattr__(self, "label", getattr(self.value, "label", str(self.value)))
        object.__setattr__(self, "value", str(self.value))


@dataclass(frozen=True)
class Transition:
    """One allowed move: from `source` (a state or several) to `target`.

    permission              permission the actor needs (praja.core.permissions); None for the
                            applicant's own moves, which set `actor_is_applicant=True`
    audit_event             event type recorded on the audit chain ("licensing.permit_approved")
    guards                  callables guard(case, *, actor, data) -> None or an error message
    actor_is_applicant      only a party of the case (the applicant) may take it
    requires_second_factor  approvals: the actor must have confirmed TOTP in this session
    requires_reason         the actor must give a reason (returns, rejections)
    sla_working_days        starts (or restarts) the SLA clock with this many working days; an
                            int or a callable(case) -> int | None (e.g. a tenant parameter)
    pauses_clock            stops the clock counting (returned to the applicant)
    resumes_clock           the clock counts again; the due date moves by the paused working days
    stops_clock             the service is finished (implied by a final target state)
    system                  taken by the system, not a person (a verified payment callback, a
                            scheduled job): `actor` is None, no permission is checked, and the
                            timeline and audit chain name the actor "Sistem"
    """

    name: str
    source: str | tuple[str, ...]
    target: str
    permission: str | None = None
    audit_event: str = ""
    label: Any = ""
    guards: tuple[Guard, ...] = ()
    actor_is_applicant: bool = False
    requires_second_factor: bool = False
    requires_reason: bool = False
    sla_working_days: int | Callable[[Any], int | None] | None = None
    pauses_clock: bool = False
    resumes_clock: bool = False
    stops_clock: bool = False
    system: bool = False

    def __post_init__(self) -> None:
        sources = (self.source,) if isinstance(self.source, str) else tuple(self.source)
        object.__setattr__(self, "source", tuple(str(value) for value in sources))
        object.__setattr__(self, "target", str(self.target))
        object.__setattr__(self, "guards", tuple(self.guards))
        if not self.label:
            object.__setattr__(self, "label", self.name)

    @property
    def sources(self) -> tuple[str, ...]:
        return self.source  # type: ignore[return-value]

    def sla_for(self, case) -> int | None:
        if callable(self.sla_working_days):
            return self.sla_working_days(case)
        return self.sla_working_days


@dataclass(frozen=True)
class DistinctActors:
    """Whoever took transition `first` on a case may not take any of `then` on it ("four eyes")."""

    first: str
    then: str | tuple[str, ...]
    message: Any = ""

    def __post_init__(self) -> None:
        then = (self.then,) if isinstance(self.then, str) else tuple(self.then)
        object.__setattr__(self, "then", then)


@dataclass(frozen=True)
class Workflow:
    """A case type's state machine: the data `transition()` enforces and the docs draw.

    party_fields   fields naming the people party to the case (the applicant); they may take only
                   the `actor_is_applicant` transitions and never the officials' ones
    org_unit_field field holding the OrgUnit that handles the case; permissions granted for one
                   perangkat daerah then count only for its cases
    version_field  integer field incremented by every transition; a stale form is refused even when
                   the case came back to the same status
    assignee_field field naming the official who holds the case now (else the holders of the
                   state's `holder_role` do)
    notify_parties tell the parties (the applicant) of every status change an official makes, with
                   a link from timeline_url(case) to the case's timeline page
    """

    name: str
    model: str | type
    states: tuple[State, ...]
    transitions: tuple[Transition, ...]
    status_field: str = "status"
    initial: str | None = None
    label: Any = ""
    party_fields: tuple[str, ...] = ()
    org_unit_field: str | None = None
    version_field: str | None = None
    assignee_field: str | None = None
    separation_of_duties: tuple[DistinctActors, ...] = field(default=())
    notify_parties: bool = True
    timeline_url: Callable[[Any], str] | None = None

    def __post_init__(self) -> None:
        for name in ("states", "transitions", "party_fields", "separation_of_duties"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        if self.initial is None and self.states:
            object.__setattr__(self, "initial", self.states[0].value)
        object.__setattr__(self, "initial", str(self.initial))
        self._validate()

    def _validate(self) -> None:
        values = [state.value for state in self.states]
        problems = []
        if len(set(values)) != len(values):
            problems.append("duplicate states")
        names = [item.name for item in self.transitions]
        if len(set(names)) != len(names):
            problems.append("duplicate transition names")
        if self.initial not in values:
            problems.append(f"initial state {self.initial!r} is not declared")
        for item in self.transitions:
            for value in (*item.sources, item.target):
                if value not in values:
                    problems.append(f"transition {item.name!r} uses undeclared state {value!r}")
            if item.permission is None and not item.actor_is_applicant and not item.system:
                problems.append(
                    f"transition {item.name!r} needs a permission, actor_is_applicant=True or system=True"
                )
            if item.system and (item.permission or item.actor_is_applicant or item.requires_second_factor):
                problems.append(
                    f"system transition {item.name!r} cannot name a permission, an applicant "
                    "or a second factor"
                )
        for rule in self.separation_of_duties:
            for name in (rule.first, *rule.then):
                if name not in names:
                    problems.append(f"separation of duties names undeclared transition {name!r}")
        if problems:
            raise ImproperlyConfigured(f"workflow {self.name}: " + "; ".join(problems))

    @property
    def model_label(self) -> str:
        if isinstance(self.model, str):
            return self.model.lower()
        return self.model._meta.label_lower

    def get_model(self):
        if isinstance(self.model, str):
            return apps.get_model(self.model)
        return self.model

    def state(self, value: str) -> State:
        for state in self.states:
            if state.value == str(value):
                return state
        raise KeyError(value)

    def state_label(self, value: str) -> str:
        try:
            return str(self.state(value).label)
        except KeyError:
            return str(value)

    def get_transition(self, name: str) -> Transition | None:
        for item in self.transitions:
            if item.name == name:
                return item
        return None

    def transitions_from(self, status: str) -> list[Transition]:
        return [item for item in self.transitions if str(status) in item.sources]

    def final_states(self) -> set[str]:
        return {state.value for state in self.states if state.is_final}
