"""What a conditional page's version holds besides the data version (yanxiu.audit.conditional).

Every page's header shows things about the user that change without an audited write: the
notifications app's unread count (a message is read, a reminder arrives). An app adds such a part
here when it is ready, as a SQL scalar subquery with one %s for the user's id; the audit app reads
them in the same statement as the data version, so a 304 still costs one query. (Core is below
both apps, so neither imports the other.)"""

USER_PARTS: list[str] = []


def add_user_part(sql):
    """Add a scalar subquery of the user (one %s) to every conditional page's version, once."""
    if sql not in USER_PARTS:
        USER_PARTS.append(sql)
