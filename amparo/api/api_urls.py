"""ninja's URL patterns for /api/v1/, in the `api-v1` namespace."""

from amparo.api.api import NAMESPACE, api, exempt_from_sign_in
from amparo.core.urldispatch import FirstWordResolver

_patterns, _ninja, app_name = api.urls
assert app_name == NAMESPACE  # noqa: S101 -- reverse() names depend on it
exempt_from_sign_in(_patterns)
# Resolved through their first word (ADR 0064): ninja's 116 patterns were tried one by one.
urlpatterns = [FirstWordResolver(_patterns)]
