from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from inspections.groups import EDITORS, VIEWERS, setup_groups
from tests.conftest import kept_for_the_module


def loaded_for_the_module(django_db_blocker, *command, **options):
    """For a module-scoped fixture (`yield from`): run a management command once, its data kept for the
    module's tests (tests/conftest.py, kept_for_the_module). Yields what the command printed."""
    with kept_for_the_module(django_db_blocker):
        output = StringIO()
        call_command(*command, stdout=output, stderr=output, **options)
        yield output.getvalue()


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
