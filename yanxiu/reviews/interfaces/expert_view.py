"""What an expert sees of an application: the official form, anonymised when the round says so."""

from dataclasses import replace

from yanxiu.applications.interfaces.form_context import official_form

HIDDEN = "（匿名评审，已隐藏）"


def form_for_expert(application, anonymous):
    form = official_form(application)
    if anonymous:
        # The host's name and every way to contact it; the applicant line of
        # the provincial form prints the host's name too.
        form = replace(form, host=dict.fromkeys(form.host, HIDDEN))
    return form
