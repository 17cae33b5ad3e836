"""Writes for connected apps: a clinic lead registers and revokes them.

Each write checks the actor's role and clinic, runs in one transaction and records its
audit event (``record_event``). A registration makes DOT's client
(``oauth2_provider.Application``) and Taut's ``ConnectedApp`` beside it, and for a backend
service the user its reads act as. Revoking deletes DOT's client, and with it every code and
token issued to the app, so nothing it holds works a moment later.
"""

import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from oauth2_provider.models import AbstractApplication, Application

from taut.accounts.actors import Actor
from taut.accounts.models import Clinic, User
from taut.accounts.roles import Need, Role
from taut.audit.models import Action
from taut.audit.services import record_event
from taut.lib.refusals import Conflict, Invalid, NotAllowed
from taut.smart.models import AppKind, ConnectedApp


@dataclass(frozen=True)
class Registered:
    """A new app and, for a confidential app, its client secret: shown once, never kept."""

    app: ConnectedApp
    client_secret: str


def register_app(
    *,
    clinic: Clinic,
    name: str,
    kind: AppKind,
    redirect_uris: str,
    allowed_scopes: str,
    jwks: dict[str, object],
    actor: Actor,
) -> Registered:
    """Register an app for ``clinic``. Inputs are already checked by the form
    (``forms.AppForm``: scopes that fit the kind, https redirect URIs, a public JWK Set)."""
    actor.require(Need.MANAGE_STAFF, "Only a clinic lead connects apps.")
    if actor.clinic_id != clinic.pk:
        raise NotAllowed("Apps are connected to your own clinic only.")
    secret = secrets.token_urlsafe(48) if kind != AppKind.PUBLIC else ""
    application = Application(
        name=name,
        client_type=(AbstractApplication.CLIENT_PUBLIC if kind == AppKind.PUBLIC
                     else AbstractApplication.CLIENT_CONFIDENTIAL),
        authorization_grant_type=(AbstractApplication.GRANT_CLIENT_CREDENTIALS
                                  if kind == AppKind.BACKEND
                                  else AbstractApplication.GRANT_AUTHORIZATION_CODE),
        redirect_uris="" if kind == AppKind.BACKEND else " ".join(redirect_uris.split()),
        # A browser app calls the token endpoint from its own page: CORS for its origins.
        allowed_origins="" if kind == AppKind.BACKEND else _https_origins(redirect_uris),
        client_secret=secret,
        hash_client_secret=True,
        algorithm=AbstractApplication.RS256_ALGORITHM,
    )  # fmt: skip
    try:
        application.full_clean()
    except ValidationError as error:
        messages = {field: " ".join(texts) for field, texts in error.message_dict.items()}
        raise Invalid(messages) from None
    with transaction.atomic():
        application.save()
        app = ConnectedApp(
            clinic=clinic,
            application=application,
            client_id=application.client_id,
            name=name,
            kind=kind,
            redirect_uris=application.redirect_uris,
            allowed_scopes=" ".join(allowed_scopes.split()),
            jwks=jwks if kind == AppKind.BACKEND else {},
            registered_by=actor.user,
            registered_at=actor.now,
        )
        if kind == AppKind.BACKEND:
            app.service_user = _service_user(clinic=clinic, name=name, client_id=app.client_id)
        app.full_clean()
        app.save()
        record_event(
            actor=actor,
            action=Action.CREATE,
            obj=app,
            clinic_id=clinic.pk,
            details={"kind": str(kind), "scopes": app.allowed_scopes},
        )
    return Registered(app=app, client_secret=secret if kind == AppKind.CONFIDENTIAL else "")


def _https_origins(redirect_uris: str) -> str:
    origins = []
    for uri in redirect_uris.split():
        parts = urlsplit(uri)
        if parts.scheme == "https" and parts.netloc:
            origins.append(f"https://{parts.netloc}")
    return " ".join(dict.fromkeys(origins))


def _service_user(*, clinic: Clinic, name: str, client_id: str) -> User:
    """The user a backend service's reads act as: of the clinic, role "Connected app"
    (demographics and clinical read, nothing else), an unusable password, no email, so it
    can never sign in to the web pages, nor be sent a reset link."""
    user = User(
        clinic=clinic,
        username=f"app-{client_id[:40]}",
        first_name=name[:150],
        last_name="(connected app)",
        role=Role.SERVICE,
    )
    user.set_unusable_password()
    user.full_clean()
    user.save()
    return user


def revoke_app(*, app: ConnectedApp, version: int, actor: Actor) -> ConnectedApp:
    """Revoke ``app``: its client, codes and tokens are deleted (DOT's rows), its service
    user can no longer act; the app stays listed as revoked. ``version`` is the app as the
    lead saw it: a stale confirmation is refused (``Conflict``)."""
    actor.require(Need.MANAGE_STAFF, "Only a clinic lead revokes apps.")
    if app.clinic_id != actor.clinic_id:
        raise NotAllowed("Apps of another clinic cannot be revoked here.")
    with transaction.atomic():
        changed = ConnectedApp.objects.filter(
            pk=app.pk, version=version, revoked_at__isnull=True
        ).update(revoked_at=actor.now, revoked_by=actor.user, version=F("version") + 1)
        if not changed:
            raise Conflict(f"{app.name} was revoked or changed since this page was opened.")
        if app.application_id is not None:
            Application.objects.filter(pk=app.application_id).delete()
        if app.service_user_id is not None:
            User.objects.filter(pk=app.service_user_id).update(is_active=False)
        record_event(
            actor=actor,
            action=Action.PRIVILEGE_CHANGE,
            obj=app,
            clinic_id=app.clinic_id,
            details={"change": "revoked", "kind": app.kind},
        )
    app.refresh_from_db()
    return app
