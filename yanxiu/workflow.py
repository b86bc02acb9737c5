"""A small state machine used by every workflow object (applications, batches…).

`Workflow.perform(obj, action, actor, reason=...)` is the one door for a
state change: it asks the transition's named permission (`actor.has_perm`),
checks the current state, the guards (deadlines…) and the assessment (rules),
then in one transaction updates the row conditionally on the previous state,
applies the transition's effects, writes the audit entry and queues notifications. `why_not()` says in Chinese why an action is not possible.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.dispatch import Signal

from yanxiu.accounts.rules import refusal_for
from yanxiu.audit.log import record
from yanxiu.core import clock
from yanxiu.core.dates import chinese_date
from yanxiu.core.refusal import Refused
from yanxiu.notifications.service import notify

# Sent inside the transaction of every state change, after the audit entry:
# sender=the model, obj, action, from_state, to_state, actor. Another app reacts
# to a state change here instead of a view doing it (delivery creates the run
# record of an application entering the annual plan).
state_changed = Signal()


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: tuple
    target: str
    permission: str  # the named permission (an app's rules.py) the actor must have on the object
    reason_required: bool = False
    reason_label: str = "说明"
    guards: tuple = ()  # callables (obj, now) raising Refused
    # (obj, now) -> a finding computed once per attempt, after the guards (the rules' report); it
    # raises Refused to refuse, and is handed to `effects` as the keyword `assessed`.
    assess: Callable | None = None
    recipients: Callable | None = None  # obj -> users to notify
    effects: Callable | None = None  # (obj, actor, now, reason[, assessed=]) -> dict of field changes
    audit_data: Callable | None = None  # (obj) -> dict stored with the audit entry
    after: Callable | None = None  # (obj, actor, reason) run in the same transaction, after the audit entry
    manual: bool = True  # offered as a button on the object's page (False: done through another object)
    via: str = ""  # for manual=False: the operation that owns it ("batch", "publication"…), see perform_within
    via_label: str = ""  # that operation in Chinese, for the refusal


class Workflow:
    def __init__(self, model, transitions, *, describe, link, locked=None):
        self.model = model
        self.transitions = {t.action: t for t in transitions}
        self.describe = describe  # obj -> text naming the object in notifications
        self.link = link  # obj -> URL of the object's page
        # (queryset, transition) -> the queryset that locks and re-reads the row with what the
        # transition's guards and assessment read (select_related, prefetch_related): read once,
        # with the row locked. Only the object's own row is locked (FOR UPDATE OF the object).
        self.locked = locked

    def why_not(self, obj, action, actor, now=None):
        return self._judge(obj, self.transitions[action], actor, now or clock.now())[0]

    def _judge(self, obj, transition, actor, now):
        """(refusal or None, what `assess` found): permission, state, guards, then the assessment."""
        if not self.may(actor, transition, obj):
            return refusal_for(transition.permission), None
        if obj.state not in transition.sources:
            return f"当前状态为“{obj.get_state_display()}”，不能{transition.label}。", None
        try:
            for guard in transition.guards:
                guard(obj, now)
            return None, (transition.assess(obj, now) if transition.assess else None)
        except Refused as refusal:
            return str(refusal), None

    @staticmethod
    def may(actor, transition, obj):
        """The one gate: the actor has the transition's named permission on the object."""
        return actor.has_perm(transition.permission, obj)

    def available(self, obj, actor):
        """Actions the user could take in principle (their permission and the state fit)."""
        return [t for t in self.transitions.values() if t.manual and obj.state in t.sources and self.may(actor, t, obj)]

    def perform(self, obj, action, actor, *, reason=""):
        """Run a manual transition (a button on the object's page). A transition marked
        `manual=False` belongs to another object's operation and is refused here."""
        transition = self._transition(action)
        if not transition.manual:
            raise Refused(f"“{transition.label}”只能{transition.via_label or '通过相关业务'}办理，不能单独执行。")
        return self._perform(obj, transition, actor, reason)

    def perform_within(self, operation, obj, action, actor, *, reason=""):
        """Run a transition as a step of the operation that owns it (`Transition.via`):
        a batch forwards and recalls its applications, a publication decides them."""
        transition = self._transition(action)
        if transition.manual or transition.via != operation:
            raise Refused(f"“{transition.label}”不能在此办理。")
        return self._perform(obj, transition, actor, reason)

    def _transition(self, action):
        try:
            return self.transitions[action]
        except KeyError:
            raise Refused("没有这项操作。") from None

    def check_offered(self, obj, action, actor):
        """For views: the action must be one `available()` offers this user. Raises
        PermissionDenied (role) or Refused (state, guards) with the Chinese reason."""
        transition = self.transitions.get(action)
        if transition is None or not transition.manual:
            raise PermissionDenied("没有这项操作，或该操作只能通过相关业务办理。")
        if not self.may(actor, transition, obj):
            raise PermissionDenied(refusal_for(transition.permission))
        if obj.state not in transition.sources:
            raise Refused(f"当前状态为“{obj.get_state_display()}”，不能{transition.label}。")
        return transition

    def _perform(self, obj, transition, actor, reason):
        action = transition.action
        now = clock.now()
        reason = (reason or "").strip()
        if transition.reason_required and not reason:
            raise Refused(f"请填写{transition.reason_label}。")
        if len(reason) > 2000:
            raise Refused("说明不能超过2000字。")
        with transaction.atomic():
            # Lock and re-read (select_for_update is a no-op on SQLite, which
            # serialises writers), so two people acting at once cannot both succeed.
            if self.locked is None:
                current = self.model.objects.select_for_update().get(pk=obj.pk)
            else:
                current = self.locked(self.model.objects.select_for_update(of=("self",)), transition).get(pk=obj.pk)
            refusal, assessed = self._judge(current, transition, actor, now)
            if refusal:
                raise Refused(refusal)
            previous = current.state
            changes = {"state": transition.target}
            if hasattr(current, "version"):
                changes["version"] = current.version + 1
            if transition.effects:
                extra = {"assessed": assessed} if transition.assess else {}
                changes.update(transition.effects(current, actor, now, reason, **extra))
            if not self.model.objects.filter(pk=current.pk, state=previous).update(**changes):
                raise Refused("刚被他人处理，请刷新页面后查看最新状态。")
            for name, value in changes.items():
                setattr(obj, name, value)
            record(
                obj,
                action=action,
                label=transition.label,
                actor=actor,
                from_state=previous,
                to_state=transition.target,
                reason=reason,
                data=transition.audit_data(current) if transition.audit_data else None,
            )
            if transition.recipients:
                self._notify(obj, transition, actor, reason, now)
            if transition.after:
                transition.after(obj, actor, reason)
            state_changed.send(
                sender=self.model, obj=obj, action=action, from_state=previous, to_state=transition.target, actor=actor
            )
        return obj

    def _notify(self, obj, transition, actor, reason, now):
        name = self.describe(obj)
        subject = f"【研修申报】{name}：{transition.label}"
        who = actor.name_with_organisation  # never "省人社厅… 省人社厅… 经办人"
        body = f"{who} 于{chinese_date(now)}对“{name}”执行了“{transition.label}”。"
        if reason:
            body += f"\n{transition.reason_label}：{reason}"
        notify(transition.recipients(obj), subject, body, self.link(obj))
