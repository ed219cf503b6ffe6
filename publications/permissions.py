"""Who may do what with publications: the permissions' names and the checks
the admin, the views, the file delivery and the tests all make.

Editors hold every content permission but publishing: they write and
submit for review. Publishers hold them all: they approve, schedule, publish,
unpublish and send back. Uploaders hold only ``view`` and ``upload_files``.
(The groups are made by migrations 0002_editor_groups and
0021_publishers_group, which keep their own copies of these names: a migration
must not change when this module does.)
"""

APP_LABEL = "publications"

# Codenames, as ``Publication.Meta.permissions`` declares the custom ones.
PREVIEW_CODENAME = "preview_publication"
PUBLISH_CODENAME = "publish_publication"
UPLOAD_CODENAME = "upload_publication_files"
CHANGE_CODENAME = "change_publication"
VIEW_CODENAME = "view_publication"

# Full names, as ``User.has_perm()`` takes them.
PREVIEW = f"{APP_LABEL}.{PREVIEW_CODENAME}"
PUBLISH = f"{APP_LABEL}.{PUBLISH_CODENAME}"
UPLOAD = f"{APP_LABEL}.{UPLOAD_CODENAME}"
CHANGE = f"{APP_LABEL}.{CHANGE_CODENAME}"
VIEW = f"{APP_LABEL}.{VIEW_CODENAME}"
# Restoring an earlier PDF rewrites the publication: editors' work.
RESTORE = CHANGE


def can_preview(user) -> bool:
    """Staff allowed to see publications that are not public yet, on the
    site as readers would (pages, PDFs, images)."""
    return user.is_staff and user.has_perm(PREVIEW)


def can_publish(user) -> bool:
    """May set a publication's status and go-live time."""
    return user.has_perm(PUBLISH)


def can_review(user) -> bool:
    """May approve a publication in review or send it back."""
    return can_publish(user)


def can_submit(user) -> bool:
    """May submit a draft for review, or reopen an unpublished one."""
    return can_edit(user)


def can_edit(user) -> bool:
    """May change a publication's text, authors and links."""
    return user.has_perm(CHANGE)


def can_upload(user) -> bool:
    """May replace a publication's PDF and images."""
    return user.has_perm(UPLOAD)


def can_restore(user) -> bool:
    """May see a publication's earlier PDFs and make one current again."""
    return user.has_perm(RESTORE)


def is_uploader_only(user) -> bool:
    """Staff who may replace files but not edit publications."""
    return can_upload(user) and not can_edit(user)
