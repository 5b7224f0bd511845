"""Signal receivers: session timestamps at sign-in, ending sessions of deactivated accounts,
and every sign-in, failed sign-in, sign-out and lockout into the audit log (the services in
``signins.py`` decide what is written).

Deactivation happens in more than one place (the security administrator's admin pages, API
client revocation), so ending the sessions hangs on the user row itself: whoever turns
``is_active`` off, the person's sessions go with it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.signals import setting_changed
from django.db.models.signals import post_save
from django.dispatch import receiver

from xiaoneng.fieldcrypt.datakeys import keyring
from xiaoneng.security import signins
from xiaoneng.security.models import UserSession
from xiaoneng.security.sessions import session_start

if TYPE_CHECKING:
    from xiaoneng.org.actors import User


@receiver(user_logged_in, dispatch_uid="xiaoneng.security.logged_in")
def _on_login(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    signins.signin_record(user=user)
    if request is None or not hasattr(request, "session"):
        return
    from xiaoneng.security.services import password_changed_at, session_register

    session_start(request.session, password_changed=password_changed_at(user=user))
    if request.session.session_key is None:
        request.session.save()
    session_register(user=user, session_key=request.session.session_key)


@receiver(user_logged_out, dispatch_uid="xiaoneng.security.logged_out")
def _on_logout(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    signins.signout_record(user=user)
    key = getattr(getattr(request, "session", None), "session_key", None)
    if key:
        UserSession.objects.filter(session_key=key).delete()


@receiver(user_login_failed, dispatch_uid="xiaoneng.security.login_failed")
def _on_login_failed(sender: Any, credentials: dict[str, Any], **kwargs: Any) -> None:
    # Django has already masked the password in ``credentials``; only the username is read.
    signins.signin_failed_record(username=credentials.get("username"))


@receiver(user_locked_out, dispatch_uid="xiaoneng.security.locked_out")
def _on_locked_out(sender: Any, username: Any = None, **kwargs: Any) -> None:
    signins.lockout_record(username=username)


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="xiaoneng.security.inactive")
def _on_user_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if created or instance.is_active:
        return
    from xiaoneng.security.services import user_sessions_end

    user_sessions_end(user=instance)


@receiver(setting_changed, dispatch_uid="xiaoneng.security.data_keys_changed")
def _on_data_keys_changed(sender: Any, setting: str, **kwargs: Any) -> None:
    """Tests switch keys with the settings fixture; the keyring is otherwise built once."""
    if setting in {"XIAONENG_DATA_KEYS", "XIAONENG_DATA_KEY_FILE", "SECRET_KEY", "PRODUCTION"}:
        keyring.cache_clear()
