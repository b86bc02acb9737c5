from django import forms
from django.forms import formset_factory

from yanxiu.calls.models import Call
from yanxiu.core.forms import HalfWidthForm, half_width
from yanxiu.core.masks import mask_email, mask_phone
from yanxiu.organisations.models import Authority, Institution
from yanxiu.reference.models import ProfessionalDomain

from ..domain.rounds import ROUND_FIELDS, CriterionRow
from ..enums import MAX_APPLICANT_AVOIDANCES, RankingBasis, Recommendation
from ..models import ReviewRound


class RoundForm(HalfWidthForm, forms.ModelForm):
    class Meta:
        model = ReviewRound
        fields = list(ROUND_FIELDS)  # what update_round may change, defined once
        widgets = {"deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ranking_basis"].required = False  # left out: unchanged (a new round: raw totals)

    def clean_ranking_basis(self):
        return self.cleaned_data.get("ranking_basis") or self.instance.ranking_basis or RankingBasis.RAW


class NewRoundForm(RoundForm):
    call = forms.ModelChoiceField(Call.objects.all(), label="年度通知", empty_label=None)

    class Meta(RoundForm.Meta):
        fields = ["call", *RoundForm.Meta.fields]


class CriterionForm(HalfWidthForm, forms.Form):
    name = forms.CharField(label="评分项", max_length=50, required=False)
    weight = forms.IntegerField(label="权重（%）", min_value=1, max_value=100, required=False)
    max_score = forms.IntegerField(label="满分", min_value=1, max_value=100, required=False)
    description = forms.CharField(
        label="评分说明", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        index = (self.prefix or "").rsplit("-", 1)[-1]
        row = f"评分项第{int(index) + 1}行" if index.isdigit() else "评分项新增行"
        for field in self.fields.values():  # cells of a table: each input names itself
            field.widget.attrs["aria-label"] = f"{row} {field.label}"

    def clean(self):
        data = super().clean()
        if data.get("name") and (data.get("weight") is None or data.get("max_score") is None):
            raise forms.ValidationError("请填写权重和满分。")
        return data


CriterionFormSet = formset_factory(CriterionForm, extra=2)


def criterion_rows(formset):
    return [
        CriterionRow(
            f.cleaned_data["name"],
            f.cleaned_data["weight"],
            f.cleaned_data["max_score"],
            f.cleaned_data.get("description") or "",
        )
        for f in formset.forms
        if f.cleaned_data.get("name")
    ]


class ReviewForm(HalfWidthForm, forms.Form):
    """One score field per criterion, then the recommendation and the comment."""

    recommendation = forms.ChoiceField(label="推荐意见", choices=Recommendation.choices, widget=forms.RadioSelect)
    comment = forms.CharField(label="评审意见", max_length=2000, widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        score_fields = {
            f"score_{c.pk}": forms.DecimalField(
                label=f"{c.name}（满分{c.max_score}分，权重{c.weight}%）",
                min_value=0,
                max_value=c.max_score,
                max_digits=5,
                decimal_places=1,
                help_text=c.description,
                widget=forms.NumberInput(attrs={"step": "0.1", "min": 0, "max": c.max_score}),
            )
            for c in criteria
        }
        self.fields = {**score_fields, **self.fields}

    @classmethod
    def initial_for(cls, review):
        if review is None:
            return {}
        initial = {"recommendation": review.recommendation, "comment": review.comment}
        initial.update({f"score_{s.criterion_id}": s.value for s in review.scores.all()})
        return initial

    def score_fields(self):
        return [self[f"score_{c.pk}"] for c in self.criteria]

    def scores(self):
        return {c.pk: self.cleaned_data[f"score_{c.pk}"] for c in self.criteria}


class ConflictForm(HalfWidthForm, forms.Form):
    reason = forms.CharField(label="回避理由", max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class AssignForm(HalfWidthForm, forms.Form):
    application = forms.IntegerField(widget=forms.HiddenInput)
    expert = forms.IntegerField(label="评审专家")


class AutoAssignForm(HalfWidthForm, forms.Form):
    method = forms.ChoiceField(
        label="分配方式",
        choices=[("optimal", "最优分配（领域匹配优先，总匹配度最高）"), ("draw", "随机抽取（按领域，凭种子可复核）")],
        initial="optimal",
        widget=forms.RadioSelect,
        required=False,
    )
    seed = forms.CharField(
        label="抽取种子", max_length=60, required=False, help_text="随机抽取时必填，如会议编号加现场随机数"
    )
    min_load = forms.IntegerField(label="每位专家最少", min_value=0, max_value=100, initial=0, required=False)
    max_load = forms.IntegerField(
        label="每位专家最多",
        min_value=1,
        max_value=500,
        required=False,
        help_text="留空：按平均任务量加两成（向上取整，至少多1项）为上限，任务尽量均衡；"
        "回避或分散规则使其无法分配时，放宽到能完成分配的最小上限，并在结果中说明",
    )
    one_per_authority = forms.BooleanField(label="每项申报同一主管部门的专家最多一位", required=False)
    backups = forms.IntegerField(label="每项申报替补专家", min_value=0, max_value=5, initial=2, required=False)

    def options(self):
        data = self.cleaned_data
        return {
            "method": data.get("method") or "optimal",
            "seed": data.get("seed") or "",
            "min_load": data.get("min_load") or 0,
            "max_load": data.get("max_load"),
            "one_per_authority": bool(data.get("one_per_authority")),
            "backups": 2 if data.get("backups") is None else data["backups"],
        }


class ExpertForm(HalfWidthForm, forms.Form):
    username = forms.RegexField(
        label="登录用户名",
        max_length=150,
        regex=r"^[\w.@+-]+$",
        error_messages={"invalid": "用户名只能包含字母、数字和 @ . + - _"},
    )
    display_name = forms.CharField(label="姓名", max_length=50)
    email = forms.EmailField(label="电子邮箱", required=False)
    phone = half_width(forms.CharField(label="电话", max_length=30, required=False))
    affiliation = forms.CharField(label="工作单位", max_length=100)
    title = forms.CharField(label="职称/职务", max_length=50, required=False)
    institution = forms.ModelChoiceField(
        Institution.objects.all(),
        label="所在承办单位（用于回避）",
        required=False,
        empty_label="（不在承办单位任职）",
        help_text="专家所在单位也是承办单位时必须选择",
    )
    authority = forms.ModelChoiceField(
        Authority.objects.filter(is_active=True),
        label="所属主管部门（用于回避）",
        required=False,
        empty_label="（无）",
        help_text="专家所在单位的主管部门，或专家本人任职的主管部门",
    )
    expertise = forms.CharField(label="专业领域", max_length=200, required=False)
    primary_domain = forms.ModelChoiceField(
        ProfessionalDomain.objects.filter(is_active=True),
        label="主要专业技术领域",
        required=False,
        empty_label="（未指定）",
        help_text="自动分配时优先匹配（目录中的一项）",
    )
    domains = forms.ModelMultipleChoiceField(
        ProfessionalDomain.objects.filter(is_active=True),
        label="其他熟悉的专业技术领域",
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    keywords = forms.CharField(
        label="研究方向关键词", max_length=200, required=False, help_text="以顿号或逗号分隔，如：人工智能、工业互联网"
    )
    active_from = forms.IntegerField(label="入库年度", min_value=2000, max_value=2100, required=False)
    active_until = forms.IntegerField(
        label="有效期至（年度）", min_value=2000, max_value=2100, required=False, help_text="留空：长期有效"
    )
    available = forms.BooleanField(label="本年度可参加评审", required=False, initial=True)

    def clean(self):
        data = super().clean()
        start, end = data.get("active_from"), data.get("active_until")
        if start and end and end < start:
            self.add_error("active_until", "有效期不能早于入库年度。")
        return data


class ExpertEditForm(ExpertForm):
    """Phone and e-mail are never put into the page: blank keeps the stored value (the masked one is shown)."""

    is_active = forms.BooleanField(label="启用（停用后不再分配新的评审任务）", required=False)

    def __init__(self, *args, profile, **kwargs):
        user = profile.user
        kwargs.setdefault(
            "initial",
            {
                "display_name": user.display_name,
                "is_active": user.is_active,
                "affiliation": profile.affiliation,
                "title": profile.title,
                "institution": profile.institution_id,
                "authority": profile.authority_id,
                "expertise": profile.expertise,
                "primary_domain": profile.primary_domain_id,
                "domains": [d.pk for d in profile.domains.all() if d.pk != profile.primary_domain_id],
                "keywords": profile.keywords,
                "active_from": profile.active_from,
                "active_until": profile.active_until,
                "available": profile.available,
            },
        )
        super().__init__(*args, **kwargs)
        del self.fields["username"]
        self.profile = profile
        for name, current in (("phone", mask_phone(user.phone)), ("email", mask_email(user.email))):
            self.fields[name].help_text = f"当前：{current or '未填写'}；留空不修改"

    def clean(self):
        data = super().clean()
        data["phone"] = data.get("phone") or self.profile.user.phone
        data["email"] = data.get("email") or self.profile.user.email
        return data


class PoolFilterForm(HalfWidthForm, forms.Form):
    q = forms.CharField(label="搜索", max_length=50, required=False, help_text="姓名、单位、职称或关键词")
    domain = forms.ModelChoiceField(
        ProfessionalDomain.objects.all(), label="专业技术领域", required=False, empty_label="全部"
    )
    authority = forms.ModelChoiceField(Authority.objects.all(), label="主管部门", required=False, empty_label="全部")
    availability = forms.ChoiceField(
        label="本年度",
        choices=[("", "全部"), ("yes", "可参加评审"), ("no", "不参加评审")],
        required=False,
    )


class PoolImportForm(HalfWidthForm, forms.Form):
    file = forms.FileField(label="专家库文件（.xlsx）")


class AvoidanceForm(HalfWidthForm, forms.Form):
    """The applicant's up to two experts to avoid: name and employer as free text, and a reason."""

    def __init__(self, *args, requests=(), **kwargs):
        super().__init__(*args, **kwargs)
        requests = list(requests)
        for index in range(1, MAX_APPLICANT_AVOIDANCES + 1):
            current = requests[index - 1] if index <= len(requests) else None
            self.fields[f"name_{index}"] = forms.CharField(
                label=f"专家{index}姓名", max_length=50, required=False, initial=getattr(current, "name", "")
            )
            self.fields[f"employer_{index}"] = forms.CharField(
                label=f"专家{index}工作单位", max_length=100, required=False, initial=getattr(current, "employer", "")
            )
            self.fields[f"reason_{index}"] = forms.CharField(
                label=f"专家{index}回避理由",
                max_length=300,
                required=False,
                initial=getattr(current, "reason", ""),
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rows(self):
        data = self.cleaned_data
        return [
            {key: data.get(f"{key}_{index}", "") for key in ("name", "employer", "reason")}
            for index in range(1, MAX_APPLICANT_AVOIDANCES + 1)
        ]


class MatchForm(HalfWidthForm, forms.Form):
    expert = forms.IntegerField(label="对应专家", required=False)
    username = forms.CharField(label="或填写专家的登录用户名", max_length=150, required=False)
