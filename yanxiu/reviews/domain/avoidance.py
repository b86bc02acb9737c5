"""Applicant-declared avoidance (申报单位申请回避): up to two experts an applicant asks to be kept
from its application, each with a reason.

The applicant never sees the expert pool (who sits in it is the office's business): it names the
person as free text, name and employer. A request matches a pool expert

- by the province office's choice (`ApplicantAvoidance.expert`, set on the office's page), which
  wins; or, while the office has chosen nobody,
- automatically, when the name equals the expert's name and the employer equals the expert's work
  unit or their registered institution's name (both compared after removing spaces, full-width
  spaces included). Nothing fuzzy: a near miss is for the office to decide.

The conflict rule `applicant_avoidance` (assignment.py) asks `avoids()`; optimal assignment, the
random draw and assignment by hand all go through the conflict rules.
"""

import re

from django.db import transaction

from yanxiu.accounts.rules import refusal_for, require
from yanxiu.audit.log import record
from yanxiu.core import clock
from yanxiu.core.refusal import Refused
from yanxiu.core.validators import validate_plain_text

from ..enums import MAX_APPLICANT_AVOIDANCES
from ..models import ApplicantAvoidance, ExpertProfile

_SPACE = re.compile(r"[\s\u3000]+")

LIMITS = {"name": ("专家姓名", 50), "employer": ("专家工作单位", 100), "reason": ("回避理由", 300)}


def normalise(text):
    return _SPACE.sub("", text or "")


def profile_matches(request, profile):
    """The automatic match: exact name and employer (work unit or registered institution)."""
    name = normalise(request.name)
    if not name or name != normalise(profile.user.display_name):
        return False
    employer = normalise(request.employer)
    employers = {normalise(profile.affiliation)}
    if profile.institution_id:
        employers.add(normalise(profile.institution.name))
    return bool(employer) and employer in employers


def avoids(request, profile):
    """Does this request keep this expert away?"""
    if request.expert_id is not None:
        return request.expert_id == profile.user_id
    return profile_matches(request, profile)


def candidates(request, profiles):
    """Pool experts the office may match the request to: same name first (exact match first)."""
    name = normalise(request.name)
    same = [p for p in profiles if normalise(p.user.display_name) == name]
    return sorted(same, key=lambda p: (not profile_matches(request, p), p.user_id))


def why_not_declare(application, actor):
    if not actor.has_perm("reviews.request_avoidance", application):
        return refusal_for("reviews.request_avoidance")
    return None


def _clean(rows):
    cleaned, errors = [], {}
    for index, row in enumerate(rows, start=1):
        values = {key: (row.get(key) or "").strip() for key in LIMITS}
        if not any(values.values()):
            continue
        for key, (label, limit) in LIMITS.items():
            value = values[key]
            if not value:
                errors[f"{key}_{index}"] = f"请填写{label}。"
            elif len(value) > limit:
                errors[f"{key}_{index}"] = f"{label}不能超过{limit}字。"
            else:
                try:
                    validate_plain_text(value)
                except Exception as invalid:  # ValidationError: its message is Chinese
                    errors[f"{key}_{index}"] = "；".join(getattr(invalid, "messages", [str(invalid)]))
        cleaned.append(values)
    return cleaned, errors


def declare(application, rows, *, actor):
    """Replace the application's requests with `rows` ([{name, employer, reason}]; empty rows are
    ignored): at most two, each with all three filled in."""
    refusal = why_not_declare(application, actor)
    if refusal:
        raise Refused(refusal)
    cleaned, errors = _clean(rows)
    if len(cleaned) > MAX_APPLICANT_AVOIDANCES:
        raise Refused(f"最多可申请回避{MAX_APPLICANT_AVOIDANCES}位专家。")
    if errors:
        raise Refused("申请回避的专家信息填写不完整：" + "；".join(errors.values()), errors=errors)
    keys = [(normalise(r["name"]), normalise(r["employer"])) for r in cleaned]
    if len(set(keys)) != len(keys):
        raise Refused("同一位专家请只填写一次。")
    now = clock.now()
    with transaction.atomic():
        before = [[r.name, r.employer] for r in application.avoidance_requests.all()]
        application.avoidance_requests.all().delete()
        ApplicantAvoidance.objects.bulk_create(
            ApplicantAvoidance(application=application, declared_by=actor, declared_at=now, **values)
            for values in cleaned
        )
        record(
            application,
            action="declare_avoidance",
            label="申请回避评审专家",
            actor=actor,
            data={"before": before, "after": [[r["name"], r["employer"]] for r in cleaned]},
        )
    return list(application.avoidance_requests.all())


def set_match(request, expert, *, actor):
    """The office decides which pool expert (a User, or None: nobody / back to the automatic match)
    the request names."""
    require(actor, "reviews.manage_expert_pool")
    if expert is not None and not ExpertProfile.objects.filter(user=expert).exists():
        raise Refused("所选用户不是专家库中的专家。")
    with transaction.atomic():
        previous = request.expert_id
        request.expert = expert
        request.matched_by = actor
        request.matched_at = clock.now()
        request.save(update_fields=["expert", "matched_by", "matched_at"])
        record(
            request,
            action="match_avoidance",
            label="确认申请回避的专家",
            actor=actor,
            data={"application": request.application_id, "before": previous, "after": getattr(expert, "pk", None)},
        )
    return request
