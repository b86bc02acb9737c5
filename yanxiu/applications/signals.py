"""Application.authority_code follows the institution's authority (decision 0008, item 14).

An institution moves to another authority, or an authority's code is corrected, only through
saves (the admin, the organisations pages; the authorities import keys on the code and never
changes one): each save brings the copies of its applications up to date in the same transaction.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver

from yanxiu.organisations.models import Authority, Institution

from .models import Application, authority_code_of


@receiver(post_save, sender=Institution, dispatch_uid="applications.institution_authority_code")
def institution_saved(sender, instance, **kwargs):
    code = authority_code_of(instance.pk)
    Application.objects.filter(institution=instance).exclude(authority_code=code).update(authority_code=code)


@receiver(post_save, sender=Authority, dispatch_uid="applications.authority_code")
def authority_saved(sender, instance, **kwargs):
    stale = Application.objects.filter(institution__authority=instance).exclude(authority_code=instance.code)
    stale.update(authority_code=instance.code)
