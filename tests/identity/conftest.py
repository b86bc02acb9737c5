import pytest

from . import provider


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory):
    """The real provider, once per run, for the Django test client's callback address."""
    running = provider.start([f"http://testserver/identity/{provider.KEY}/callback/"], tmp_path_factory.mktemp("oidc"))
    yield running
    running.stop()


@pytest.fixture
def oidc(settings, oidc_provider):
    """The provider configured, as the environment would configure it."""
    settings.YANXIU_OIDC_PROVIDERS = oidc_provider.settings()
    return oidc_provider
