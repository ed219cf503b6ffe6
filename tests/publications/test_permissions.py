"""Who may do what with publications (publications/permissions.py), for the
two staff groups the migrations make and for staff without a group."""

import pytest
from django.contrib.auth.models import AnonymousUser, Permission

from publications import permissions
from publications.permissions import (
    can_edit,
    can_preview,
    can_publish,
    can_restore,
    can_review,
    can_submit,
    can_upload,
    is_uploader_only,
)

from ..factories import UserFactory, editor, publisher, uploader

pytestmark = pytest.mark.django_db

CHECKS = (
    can_preview,
    can_publish,
    can_review,
    can_submit,
    can_edit,
    can_upload,
    can_restore,
)


def test_every_named_permission_exists():
    for name in (
        permissions.PREVIEW,
        permissions.PUBLISH,
        permissions.UPLOAD,
        permissions.CHANGE,
        permissions.VIEW,
        permissions.RESTORE,
    ):
        app_label, codename = name.split(".")
        assert Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).exists(), name


def test_publishers_may_do_everything():
    user = publisher()

    assert all(check(user) for check in CHECKS)
    assert not is_uploader_only(user)


def test_editors_may_do_everything_but_publish_and_review():
    user = editor()

    assert all(
        check(user) for check in CHECKS if check not in (can_publish, can_review)
    )
    assert not can_publish(user)
    assert not can_review(user)
    assert not is_uploader_only(user)


def test_uploaders_may_only_upload():
    user = uploader()

    assert can_upload(user)
    assert is_uploader_only(user)
    assert not any(
        check(user) for check in (can_preview, can_publish, can_edit, can_restore)
    )


def test_readers_and_staff_without_a_group_may_do_nothing():
    for user in (AnonymousUser(), UserFactory(), UserFactory(is_staff=True)):
        assert not any(check(user) for check in CHECKS)
        assert not is_uploader_only(user)


def test_preview_needs_staff_status_as_well_as_the_permission():
    user = UserFactory()
    user.user_permissions.add(
        Permission.objects.get(codename=permissions.PREVIEW_CODENAME)
    )

    assert not can_preview(UserFactory.build(pk=user.pk, is_staff=False))
    user.is_staff = True
    user.save()

    assert can_preview(type(user).objects.get(pk=user.pk))
