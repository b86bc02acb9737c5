"""A confirmation step for irreversible actions, without JavaScript (decision 0009).

The action's form posts once: the view answers with a page saying what will happen
and to how many (Indico asks for the count before a bulk judgement), and warnings;
its button posts the same fields again with `confirmed=1`, and only then the view acts.

`inputs` adds what must be written on the confirmation itself (a reason per flagged item):
each an `Input`, its typed value kept when the action is refused and the page shown again with
`error` and each input's own error (status 400).
"""

from dataclasses import dataclass, field

from django.shortcuts import render


@dataclass
class Input:
    name: str
    label: str
    lines: list = field(default_factory=list)  # what the item is flagged for, shown above the box
    value: str = ""
    error: str = ""


def confirmed(request):
    return request.POST.get("confirmed") == "1"


def ask(
    request,
    *,
    title,
    summary,
    consequences=(),
    warnings=(),
    button,
    back_url,
    danger=False,
    inputs=(),
    error="",
):
    own = {"csrfmiddlewaretoken", "confirmed", *(i.name for i in inputs)}
    fields = [(k, v) for k, values in request.POST.lists() if k not in own for v in values]
    return render(
        request,
        "core/confirm.html",
        {
            "title": title,
            "summary": summary,
            "consequences": list(consequences),
            "warnings": list(warnings),
            "button": button,
            "back_url": back_url,
            "danger": danger,
            "fields": fields,
            "inputs": list(inputs),
            "error": error,
            "action_url": request.get_full_path(),
        },
        status=400 if error else 200,
    )
