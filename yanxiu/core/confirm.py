"""A confirmation step for irreversible actions, without JavaScript (decision 0009).

The action's form posts once: the view answers with a page saying what will happen
and to how many (Indico asks for the count before a bulk judgement), and warnings;
its button posts the same fields again with `confirmed=1`, and only then the view acts.
"""

from django.shortcuts import render


def confirmed(request):
    return request.POST.get("confirmed") == "1"


def ask(request, *, title, summary, consequences=(), warnings=(), button, back_url, danger=False):
    fields = [
        (k, v) for k, values in request.POST.lists() if k not in ("csrfmiddlewaretoken", "confirmed") for v in values
    ]
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
            "action_url": request.get_full_path(),
        },
    )
