"""The one refusal: an action the rules do not allow, with a Chinese reason.

Every domain function raises `Refused` when it says no, and views show its
reason to the user (beside a form field when `errors` names one).
"""


class Refused(Exception):
    """Raised with a Chinese message saying why the action is not possible.

    `code` is a stable machine-readable name (import reports, the API);
    `errors` optionally maps form field names to their reasons, so a form can
    show each beside its field; the message then joins them.
    """

    def __init__(self, reason="", *, code="", errors=None):
        self.errors = dict(errors or {})
        reason = reason or "；".join(str(message) for message in self.errors.values())
        super().__init__(reason)
        self.reason = reason
        self.code = code

    @property
    def message(self):
        return self.reason
