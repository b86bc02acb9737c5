"""Moving a date of an open call (issue 20, decision 0016): confirmed, with who is affected, and told.

A tier's 申报截止日期 and the call's 办班完成截止日期 are what institutions and authorities work to.
When the office changes one on an open call, the page first says what moves (and whether the new
date has already passed) and how many institutions and authorities have applications it touches;
once confirmed, their users are notified (in the app, and by e-mail after the commit).

Who is affected is known by the applications, a layer above: `applications` registers its
`Audience` function here from its AppConfig.ready (as organisations registers its dictionary with
reference.importers), so this module never imports it.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from django.urls import reverse

from yanxiu.accounts.models import Role, User
from yanxiu.core import clock
from yanxiu.core.dates import chinese_date
from yanxiu.notifications.service import notify

MOVABLE_CALL_DATES = {"completion_date": "办班完成截止日期"}
MOVABLE_RULE_DATES = {"deadline": "申报截止日期"}


@dataclass(frozen=True)
class DateMove:
    tier: str  # "" for the call's own date
    name: str
    label: str  # in Chinese, with the tier: "省级申报截止日期"
    old: date
    new: date

    @property
    def into_the_past(self):
        return self.new < clock.today()

    def sentence(self):
        passed = "（已过，保存后立即生效）" if self.into_the_past else ""
        return f"{self.label}由{chinese_date(self.old)}改为{chinese_date(self.new)}{passed}"


@dataclass
class Audience:
    """Institutions with drafts and authorities with submissions waiting that a move touches."""

    institutions: set = field(default_factory=set)  # ids
    authorities: set = field(default_factory=set)  # ids

    def merge(self, other):
        self.institutions |= other.institutions
        self.authorities |= other.authorities
        return self


_AUDIENCES = []


def register(func):
    """`func(call, moves) -> Audience`; registered once by the app that knows the applications."""
    if func not in _AUDIENCES:
        _AUDIENCES.append(func)
    return func


def moves(call, fields, rules):
    """The date moves in a form's cleaned data (`fields` for the call, `rules` {tier: {name: value}})."""
    found = []
    for name, label in MOVABLE_CALL_DATES.items():
        new = fields.get(name)
        if new and new != getattr(call, name):
            found.append(DateMove("", name, label, getattr(call, name), new))
    for rule in call.tier_rules.all():
        for name, label in MOVABLE_RULE_DATES.items():
            new = rules.get(rule.tier, {}).get(name)
            if new and new != getattr(rule, name):
                found.append(DateMove(rule.tier, name, f"{rule.get_tier_display()}{label}", getattr(rule, name), new))
    return found


def audience(call, found):
    everyone = Audience()
    for func in _AUDIENCES:
        everyone.merge(func(call, found))
    return everyone


def recipients(who):
    return User.objects.filter(is_active=True).filter(
        Q(role=Role.INSTITUTION_STAFF, institution_id__in=sorted(who.institutions))
        | Q(role=Role.AUTHORITY_REVIEWER, authority_id__in=sorted(who.authorities))
    )


def tell(call, found, *, who=None):
    """Notify the affected institutions' staff and authorities' reviewers of the moves (after commit by e-mail)."""
    if not found:
        return 0
    who = who or audience(call, found)
    users = list(recipients(who))
    lines = "\n".join(f"- {m.sentence()}" for m in found)
    body = (
        f"省人社厅修改了{call.year}年度高级研修项目申报通知的日期：\n{lines}\n"
        "请按新的日期安排申报、审核和报送。如有疑问，请联系省人社厅。"
    )
    notify(users, f"【研修申报】{call.year}年度申报通知日期变更", body, reverse("home"))
    return len(users)
