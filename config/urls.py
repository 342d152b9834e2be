"""URL wiring. Public pages sit under i18n_patterns so a shared link keeps its language;
private pages follow the signed-in user's saved language."""

from allauth.account.decorators import secure_admin_login
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from amparo.core import views as core_views
from amparo.core.urldispatch import FirstWordResolver

# The admin signs in through allauth, so MFA, axes and rate limits cover it too.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
admin.site.site_header = "Amparo"

public_patterns = i18n_patterns(
    path("", include("amparo.core.public_urls")),
    path("observatory/", include("amparo.observatory.urls")),
    path("support/", include("amparo.desk.public_urls")),
    path("criminalisation/", include("amparo.trials.public_urls")),
    path("library/", include("amparo.library.public_urls")),
    path("learn/", include("amparo.learning.public_urls")),
    path("contact/", include("amparo.contact.public_urls")),
    prefix_default_language=True,
)

# Django tries the patterns in order. The public pages come first, as they are the ones asked
# for most under load, and their language prefix cannot match any private address (those all
# begin with a fixed word), so no address changes its view: a public address is then matched
# after a handful of patterns instead of after every private one (about 230). The private
# ones are resolved through their first word (core.urldispatch, ADR 0064).
urlpatterns = [
    path("health", core_views.health, name="health"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("exit/", core_views.quick_exit, name="quick-exit"),
    path("csp-report", core_views.csp_report, name="csp-report"),
    path("language/", core_views.set_language, name="set-language"),
    *public_patterns,
    FirstWordResolver(
        [
            path("", include("amparo.accounts.urls")),
            path("accounts/", include("allauth.urls")),
            path("", include("amparo.core.urls")),
            path("", include("amparo.audit.urls")),
            path("", include("amparo.api.urls")),
            path("", include("amparo.files.urls")),
            path("", include("amparo.jobs.urls")),
            path("", include("amparo.defenders.urls")),
            path("", include("amparo.incidents.urls")),
            path("", include("amparo.risk.urls")),
            path("", include("amparo.actors.urls")),
            path("", include("amparo.plans.urls")),
            path("", include("amparo.desk.urls")),
            path("", include("amparo.networks.urls")),
            path("", include("amparo.wellbeing.urls")),
            path("", include("amparo.trials.urls")),
            path("", include("amparo.library.urls")),
            path("", include("amparo.learning.urls")),
            path("", include("amparo.contact.urls")),
            path("api/v1/", include("amparo.api.api_urls")),
            path("admin/", admin.site.urls),
        ]
    ),
]

handler400 = "amparo.core.views.bad_request"
handler403 = "amparo.core.views.permission_denied"
handler404 = "amparo.core.views.page_not_found"
handler500 = "amparo.core.views.server_error"
