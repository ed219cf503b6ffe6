"""Users' admin, with the action that lifts a login lock (ifri/login_throttling.py)."""

from axes.utils import reset
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

User = get_user_model()


class SiteUserAdmin(UserAdmin):
    actions = ["unlock_login"]

    @admin.action(
        description=_("Unlock sign-in for the selected users"),
        permissions=["change"],
    )
    def unlock_login(self, request, queryset):
        usernames = list(queryset.values_list(User.USERNAME_FIELD, flat=True))
        for username in usernames:
            reset(username=username)
        self.message_user(
            request,
            ngettext(
                "%(count)d user may sign in again.",
                "%(count)d users may sign in again.",
                len(usernames),
            )
            % {"count": len(usernames)},
            messages.SUCCESS,
        )


# django.contrib.auth, earlier in INSTALLED_APPS, registered its own.
admin.site.unregister(User)
admin.site.register(User, SiteUserAdmin)
