"""ninja's URL patterns for /api/v1/, in the `api-v1` namespace."""

from amparo.api.api import NAMESPACE, api, exempt_from_sign_in

urlpatterns, _ninja, app_name = api.urls
assert app_name == NAMESPACE  # noqa: S101 -- reverse() names depend on it
exempt_from_sign_in(urlpatterns)
