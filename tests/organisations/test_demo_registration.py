"""The demo shows a pending registration in 漳州市人社局's inbox (seed_demo, decision 0023)."""

from yanxiu.accounts.models import User
from yanxiu.demo.today import seed_pending_registration


def test_the_demo_registration_waits_in_zz_rsj_inbox(demo, client):
    done = seed_pending_registration()
    assert seed_pending_registration() is None  # once
    client.force_login(User.objects.get(username="zz_rsj"))
    page = client.get("/applications/inbox/").content.decode()
    assert 'data-testid="pending-registrations"' in page
    assert f'href="/institution/registrations/{done.pk}/">漳州新材料研究院有限公司</a>' in page
    client.force_login(User.objects.get(username="xm_rsj"))
    assert 'data-testid="pending-registrations"' not in client.get("/applications/inbox/").content.decode()
