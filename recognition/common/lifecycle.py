"""One transition table and one entry point per object with a life.

An area declares its object's life as a `Lifecycle`: the transitions (action → source states
→ target, who may, the business guard, whether a reason is required) and what entering a
state sets (timestamps). `Lifecycle.apply` is then the only code that assigns that object's
state: it checks the source state, the actor's permission and the guard, sets the state and
its timestamps, appends the chained audit event and runs the area's effects (notifications,
mail in the outbox, after-commit work). Pages draw their buttons from `available`, so an
impossible action is never offered, and a forced one is refused with a message (409).

There is no bypass: a mistake is undone by an explicit, permitted action with a reason.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from flask_babel import gettext as _
from sqlalchemy.orm.exc import StaleDataError

from recognition.common.audit import AuditEvent, ObjectKind, record, register_vocabulary
from recognition.common.enums import LabelledEnum
from recognition.common.text import clean_multiline
from recognition.database import local_today, utcnow
from recognition.errors import ConcurrentUpdate, DomainError, InvalidTransition, NotAllowed
from recognition.extensions import db

StateT = TypeVar("StateT", bound=LabelledEnum)
ActionT = TypeVar("ActionT", bound=LabelledEnum)

# (object, today) → a refusal in the user's language, or None when the action may go ahead.
Guard = Callable[[Any, date], str | None]
# (user, object) → whether this user may take the action on this object.
Permission = Callable[[Any, Any], bool]


def no_guard(obj: Any, today: date) -> str | None:
    return None


@dataclass(frozen=True)
class Transition(Generic[StateT, ActionT]):
    action: ActionT
    sources: frozenset[StateT]
    target: StateT | None  # None: chosen by the caller from a computed outcome (`targets`)
    allowed: Permission
    guard: Guard = no_guard
    needs_comment: bool = False
    targets: frozenset[StateT] = frozenset()


def _not_possible(action: LabelledEnum, state: LabelledEnum) -> str:
    return _(
        "“%(action)s” is not possible while it is “%(state)s”.",
        action=action.label,
        state=state.label,
    )


def _not_allowed(action: LabelledEnum) -> str:
    return _("You may not do “%(action)s” here.", action=action.label)


def _changed_meanwhile() -> str:
    return _(
        "Someone else changed this in the meantime. It has been reloaded; please check it "
        "and try again."
    )


@dataclass
class Lifecycle(Generic[StateT, ActionT]):
    """The life of one kind of object: its transition table and its entry point."""

    kind: ObjectKind
    states: type[StateT]
    actions: type[ActionT]
    transitions: Iterable[Transition[StateT, ActionT]]
    # The object's name for the audit log ("125/QĐ-UBND", "Phiên họp 3/2026").
    describe: Callable[[Any], str] = str
    state_attribute: str = "state"
    # Sets what entering a state records besides the state: (object, source, target, now).
    on_enter: Callable[[Any, StateT, StateT, datetime], None] | None = None
    # Runs after the event is written: notifications, outbox mail, after-commit work.
    effects: Callable[[Any, AuditEvent], None] | None = None
    # Messages naming the object ("the dossier"); the defaults are neutral.
    not_possible: Callable[[ActionT, StateT], str] = _not_possible
    not_allowed: Callable[[ActionT], str] = _not_allowed
    changed_meanwhile: Callable[[], str] = _changed_meanwhile
    table: dict[ActionT, Transition[StateT, ActionT]] = field(init=False)

    def __post_init__(self) -> None:
        self.table = {t.action: t for t in self.transitions}
        register_vocabulary(self.kind, self.actions, self.states)

    def state_of(self, obj: Any) -> StateT:
        return self.states(getattr(obj, self.state_attribute))

    def is_possible(self, obj: Any, action: ActionT) -> bool:
        """The action exists and the object is in one of its source states."""
        transition = self.table.get(action)
        return transition is not None and self.state_of(obj) in transition.sources

    def can(self, user: Any, obj: Any, action: ActionT) -> bool:
        """The action is possible now and this user may take it (guards not checked)."""
        return self.is_possible(obj, action) and self.table[action].allowed(user, obj)

    def available(
        self, user: Any, obj: Any, actions: Iterable[ActionT] | None = None
    ) -> list[ActionT]:
        """The actions (of `actions`, default all) this user may take on `obj` now."""
        chosen = self.table if actions is None else actions
        return [action for action in chosen if self.can(user, obj, action)]

    def refusal(self, obj: Any, action: ActionT, *, today: date | None = None) -> str | None:
        """Why the business guard would refuse the action now, or None."""
        return self.table[action].guard(obj, today or local_today())

    def apply(
        self,
        obj: Any,
        action: ActionT,
        *,
        actor: Any,
        comment: str = "",
        outcome: StateT | None = None,
        today: date | None = None,
        precheck: Callable[[], None] | None = None,
        at: datetime | None = None,
        recorded_at: datetime | None = None,
    ) -> AuditEvent:
        """Move `obj` by `action`; the only code that assigns this kind's state.

        Raises InvalidTransition (wrong state), NotAllowed (permission), DomainError (guard or
        missing reason) and ConcurrentUpdate (a versioned object changed by someone else).
        `precheck` runs after the state check and before the permission (a version check).
        `today` and `at` date an action recorded after the fact (the demo's history): the guard
        judges it on `today` and the state's timestamps take `at`; the audit event keeps the
        moment it was recorded (`recorded_at`: one moment shared by the events of one action
        that changes several objects, a cascade). Flushes; never commits.
        """
        transition = self.table.get(action)
        source = self.state_of(obj)
        if transition is None or source not in transition.sources:
            raise InvalidTransition(self.not_possible(action, source))
        if precheck is not None:
            precheck()
        if not transition.allowed(actor, obj):
            raise NotAllowed(self.not_allowed(action))
        comment = clean_multiline(comment)
        if transition.needs_comment and not comment:
            raise DomainError(_("Please give a reason."), field="comment")
        refusal = transition.guard(obj, today or local_today())
        if refusal:
            raise DomainError(refusal)
        target = transition.target or outcome
        if target is None or (transition.targets and target not in transition.targets):
            raise InvalidTransition(_("The outcome of this action is not valid."))
        setattr(obj, self.state_attribute, target)
        if self.on_enter is not None:
            self.on_enter(obj, source, target, at or utcnow())
        try:
            db.session.flush()
        except StaleDataError as error:
            raise ConcurrentUpdate(self.changed_meanwhile()) from error
        event = record(
            self.kind,
            obj.id,
            action.value,
            actor=actor,
            subject=self.describe(obj),
            from_state=source.value,
            to_state=target.value,
            comment=comment,
            version=getattr(obj, "version", None),
            at=recorded_at,
        )
        if self.effects is not None:
            self.effects(obj, event)
        return event
