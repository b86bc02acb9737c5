"""The satisfaction survey: one programme link (or QR code); a trainee
identifies with the mobile number and the last four characters of the ID
number, and answers once."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Avg, Count

from yanxiu.audit.log import record
from yanxiu.core import clock
from yanxiu.core.refusal import Refused
from yanxiu.core.validators import normalise_phone

from ..enums import EnrolmentState
from ..models import SurveyResponse, Trainee
from .ids import normalise


def find_trainee(programme, mobile, id_last4):
    """By the mobile's keyed hash, then the last four of the (decrypted) ID number."""
    candidates = Trainee.objects.filter(programme=programme, state=EnrolmentState.APPROVED).with_mobile(
        normalise_phone(mobile or "")
    )
    last4 = normalise(id_last4)
    trainee = next((t for t in candidates if len(last4) == 4 and t.id_number[-4:] == last4), None)
    if trainee is None:
        raise Refused("未找到该学员：请核对手机号和身份证号后四位（须为本班录取学员）。")
    return trainee


def answer(programme, *, mobile, id_last4, scores, comment=""):
    trainee = find_trainee(programme, mobile, id_last4)
    for key, _ in SurveyResponse.QUESTIONS:
        if scores.get(key) not in (1, 2, 3, 4, 5):
            raise Refused("请为每一项选择1至5分。")
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(
                trainee=trainee,
                comment=(comment or "")[:500],
                answered_at=clock.now(),
                **{k: scores[k] for k, _ in SurveyResponse.QUESTIONS},
            )
            # That the trainee answered, not what: the scores are read only as the class's figures.
            record(programme, action="answer_survey", label="提交满意度测评", data={"trainee": trainee.pk})
            return response
    except IntegrityError:
        raise Refused("您已提交过满意度测评，感谢参与。") from None


@dataclass
class SurveyStats:
    responses: int
    trainees: int
    averages: list  # (label, average or None)
    satisfied_percent: int  # overall score 4 or 5
    comments: list

    @property
    def response_percent(self):
        return self.responses * 100 // self.trainees if self.trainees else 0


def statistics(programme):
    responses = SurveyResponse.objects.filter(trainee__programme=programme)
    aggregates = responses.aggregate(n=Count("pk"), **{k: Avg(k) for k, _ in SurveyResponse.QUESTIONS})
    satisfied = responses.filter(overall__gte=4).count()
    n = aggregates["n"]
    return SurveyStats(
        responses=n,
        trainees=programme.trainees.filter(state=EnrolmentState.APPROVED).count(),
        averages=[
            (label, round(aggregates[k], 2) if aggregates[k] is not None else None)
            for k, label in SurveyResponse.QUESTIONS
        ],
        satisfied_percent=satisfied * 100 // n if n else 0,
        comments=list(responses.exclude(comment="").values_list("comment", flat=True)[:200]),
    )
