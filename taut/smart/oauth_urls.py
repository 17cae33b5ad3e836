"""The OAuth 2.0 / OpenID Connect endpoints under ``/oauth/``, in django-oauth-toolkit's
namespace and with its URL names (its views find each other by them)."""

from django.urls import path

from taut.smart import launch_views, oauth_views

app_name = "oauth2_provider"
urlpatterns = [
    path("authorize", launch_views.authorize, name="authorize"),
    path("authorize/decide", launch_views.authorize_decide, name="authorize_decide"),
    path("token", oauth_views.token, name="token"),
    path("revoke", oauth_views.revoke, name="revoke-token"),
    path("introspect", oauth_views.introspect, name="introspect"),
    path("jwks", oauth_views.jwks, name="jwks-info"),
    path("userinfo", oauth_views.userinfo, name="user-info"),
    path(
        ".well-known/openid-configuration",
        oauth_views.openid_configuration,
        name="oidc-connect-discovery-info",
    ),
]
