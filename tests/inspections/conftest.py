import pytest
from django.contrib.auth.models import Group, User

from inspections.groups import EDITORS, VIEWERS, setup_groups


def staff_in(group_name):
    setup_groups()
    user = User.objects.create_user(username=group_name.lower(), password="not-used", is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def editor_client(client, db):
    client.force_login(staff_in(EDITORS))
    return client


@pytest.fixture
def viewer_client(client, db):
    client.force_login(staff_in(VIEWERS))
    return client
