"""Fixtures for the documents app: the demo data (tests/conftest.py `demo`) and its example forms."""

import pytest

from yanxiu.accounts.models import User

from .helpers import application


@pytest.fixture
def province(demo):
    return User.objects.get(username="province")


@pytest.fixture
def national(demo):
    return application("生物育种与种业振兴关键技术高级研修班")


@pytest.fixture
def provincial(demo):
    return application("文物数字化保护与利用高级研修班")
